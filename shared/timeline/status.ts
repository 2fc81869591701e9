/**
 * The one answer to "how does this milestone occurrence stand now?". decide()'s view of an
 * instance (the instance page, its report, the .ics feed, the API) and the stored milestone
 * states (the overview, the instance list) both ask this function, so every page and feed says
 * the same thing about the same occurrence.
 *
 * - period: a marker nobody confirms (it is complete at its deadline);
 * - confirmed: somebody confirmed it;
 * - on-hold: the instance is paused (nothing is sent);
 * - waiting: it is not active yet (an earlier milestone or repetition must be confirmed first, or
 *   its activation lies ahead), so it is nobody's task yet, whatever its planned deadline says;
 * - overdue: active and past its deadline;
 * - due-soon: active and due within DUE_SOON_DAYS;
 * - open: active, with more time than that.
 */
import { Temporal } from "../time/temporal.ts";

export const OCCURRENCE_STATUSES = [
  "overdue",
  "due-soon",
  "open",
  "waiting",
  "on-hold",
  "confirmed",
  "period",
] as const;
export type OccurrenceStatusName = (typeof OCCURRENCE_STATUSES)[number];

/** A week: what a leader can still act on before the deadline, the overview's "due soon". */
export const DUE_SOON_DAYS = 7;

/** What the status follows from: the same fields on a decided occurrence and on a stored state. */
export interface StatusFacts {
  confirmable: boolean;
  confirmedAt?: string | null | undefined;
  /**
   * When it became (or becomes) active; null while it waits for an earlier milestone. Undefined
   * for a stored state written before activation was kept: taken as active.
   */
  activatedAt?: string | null | undefined;
  dueAt: string | null;
}

export interface StatusOptions {
  /** The instance is on hold. */
  onHold?: boolean;
}

export function statusAt(
  facts: StatusFacts,
  nowInput: Temporal.Instant | string,
  options: StatusOptions = {},
): OccurrenceStatusName {
  const instant = (iso: string | null | undefined) =>
    iso === undefined ? undefined : iso === null ? null : Temporal.Instant.from(iso);
  return statusOfInstants(
    {
      confirmable: facts.confirmable,
      confirmed: facts.confirmedAt !== undefined && facts.confirmedAt !== null,
      activation: instant(facts.activatedAt),
      due: instant(facts.dueAt) ?? null,
    },
    typeof nowInput === "string" ? Temporal.Instant.from(nowInput) : nowInput,
    options,
  );
}

/** statusAt on instants already parsed: what decide()'s schedule has, without a round trip. */
export function statusOfInstants(
  facts: {
    confirmable: boolean;
    confirmed: boolean;
    activation: Temporal.Instant | null | undefined;
    due: Temporal.Instant | null;
  },
  now: Temporal.Instant,
  options: StatusOptions = {},
): OccurrenceStatusName {
  if (!facts.confirmable) return "period";
  if (facts.confirmed) return "confirmed";
  if (options.onHold === true) return "on-hold";
  if (facts.activation === null || facts.due === null) return "waiting";
  if (facts.activation !== undefined && isAfter(facts.activation, now)) return "waiting";
  if (isAfter(now, facts.due)) return "overdue";
  return isAfter(facts.due, now.add({ hours: 24 * DUE_SOON_DAYS })) ? "open" : "due-soon";
}

/** Still somebody's task (or about to be): what reminders, feeds and counts of open work cover. */
export function isOutstanding(status: OccurrenceStatusName): boolean {
  return status === "overdue" || status === "due-soon" || status === "open" || status === "waiting";
}

/** How many occurrences have each status: the counts every page shows, from one function. */
export function countStatuses(
  statuses: Iterable<OccurrenceStatusName>,
): Record<OccurrenceStatusName, number> {
  const counts = Object.fromEntries(OCCURRENCE_STATUSES.map((s) => [s, 0])) as Record<
    OccurrenceStatusName,
    number
  >;
  for (const status of statuses) counts[status] += 1;
  return counts;
}

function isAfter(a: Temporal.Instant, b: Temporal.Instant): boolean {
  return Temporal.Instant.compare(a, b) > 0;
}

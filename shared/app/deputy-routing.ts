/**
 * Who gets a mail when a leader has a deputy: pure, given the deputies and the time, so the rule
 * is tested without a store or a clock.
 *
 * Reminders and "your turn" mails (activated) for a leader go to a deputy in force, with the
 * leader in Cc, so the leader still sees what was sent in their name. Escalations go where they
 * always went (the manager): a deputy does not change who is told that a deadline was missed,
 * and citizens' notices never have deputies. The leader's own deputy comes before one an
 * administrator set for the unit (the leader knows best who covers for them); of several in
 * force, the one set last.
 */
import type { DeputyRecord } from "../store/records.ts";
import type { Temporal } from "../time/temporal.ts";
import type { NotificationKind } from "../timeline/types.ts";

export interface Addressee {
  name?: string;
  email: string;
}

export interface RoutingInput {
  kind: NotificationKind;
  /** Whom the mail is for, resolved from the directory or the instance. */
  recipient: Addressee;
  /** The recipient's own deputies (their person scope). */
  personDeputies: readonly DeputyRecord[];
  /** The deputies of the unit the recipient leads, when the mail is to a unit's leader. */
  unitDeputies: readonly DeputyRecord[];
  now: Temporal.Instant;
  /** The workflow's timezone: the day a deputy's dates are read in. */
  timezone: string;
}

export type Routing =
  | { to: Addressee; cc: Addressee[]; deputy: null }
  | { to: Addressee; cc: Addressee[]; deputy: DeputyRecord; leader: Addressee };

/** The kinds a deputy receives in the leader's place. */
export function goesToDeputy(kind: NotificationKind): boolean {
  return kind === "reminder" || kind === "activated";
}

/** The calendar day of `now` in `timezone`, as YYYY-MM-DD. */
export function dayIn(now: Temporal.Instant, timezone: string): string {
  return now.toZonedDateTimeISO(timezone).toPlainDate().toString();
}

/** Whether a deputy covers `day` (both ends included). */
export function inForce(deputy: DeputyRecord, day: string): boolean {
  return deputy.from <= day && day <= deputy.to;
}

/** The deputy in force on `day`, of those given: the one set last; null if none. */
export function deputyOn(deputies: readonly DeputyRecord[], day: string): DeputyRecord | null {
  let best: DeputyRecord | null = null;
  for (const d of deputies) {
    if (!inForce(d, day)) continue;
    if (best === null || d.createdAt > best.createdAt) best = d;
  }
  return best;
}

export function routeMail(input: RoutingInput): Routing {
  const unchanged: Routing = { to: input.recipient, cc: [], deputy: null };
  if (!goesToDeputy(input.kind)) return unchanged;
  const day = dayIn(input.now, input.timezone);
  const leaderEmail = input.recipient.email.toLowerCase();
  // A deputy who is the leader would only send the leader a copy of their own mail.
  const usable = (list: readonly DeputyRecord[]) => list.filter((d) => d.email.toLowerCase() !== leaderEmail);
  const deputy = deputyOn(usable(input.personDeputies), day) ?? deputyOn(usable(input.unitDeputies), day);
  if (deputy === null) return unchanged;
  return {
    to: { name: deputy.name, email: deputy.email },
    cc: [input.recipient],
    deputy,
    leader: input.recipient,
  };
}

/**
 * A start before today, worked out before anything is stored: the state decide() would see for
 * the not-yet-created instance, and what it would send at once under each choice. "catch-up"
 * sends what the past has due (as decide() does after downtime: the latest reminder, the latest
 * escalation level); "history" stores quietUntil = the moment of starting, so nobody is mailed
 * about anything that fell due before it, and deadlines already passed show as overdue. Pure: the
 * API's preview, the dashboard's preview step and the start itself ask these functions, so what
 * the preview says is what the loop sends.
 */
import type { LocatedError } from "../model/errors.ts";
import type { Workflow } from "../model/schema.ts";
import type { NewInstance } from "../store/records.ts";
import { instanceState, newInstanceRecord } from "../store/state.ts";
import { Temporal } from "../time/temporal.ts";
import { decide, occurrenceStatus } from "../timeline/decide.ts";
import type { OccurrenceStatusName } from "../timeline/status.ts";
import type { InstanceState, NotificationKind } from "../timeline/types.ts";
import { InvalidInputError, located } from "./admin-input.ts";
import { recipientId } from "./recipients.ts";

export const PAST_CHOICES = ["catch-up", "history"] as const;
export type PastChoice = (typeof PAST_CHOICES)[number];

/** A mail the start would send at once, without its key (that names the instance, not made yet). */
export interface StartMail {
  kind: NotificationKind;
  occurrenceKey: string;
  milestoneId: string;
  unitId: string | null;
  dueAt: string;
  /** When it was meant to go out (in the past: it goes out at once). */
  at: string;
  /** The address-free reference: `unitLeader:skole-a`, `unitManager:skole-a`, `param:caseworker`. */
  recipient: string;
  /** Escalations: which one this is for its recipient ("rykker nr. N"). */
  ordinal?: number;
}

/** An open occurrence whose deadline is already behind the moment of starting. */
export interface PassedDeadline {
  occurrenceKey: string;
  milestoneId: string;
  unitId: string | null;
  dueAt: string;
  status: OccurrenceStatusName;
}

export interface StartPreview {
  startAt: string;
  /** The moment it was worked out at: the start, if it happened now. */
  now: string;
  /** Today in the workflow's timezone. */
  today: string;
  /** The start's date lies before today (a start today is not "in the past"). */
  inPast: boolean;
  /** Sent at once with "catch-up" (and by a start that makes no choice). */
  catchUp: StartMail[];
  /** Sent at once with "history". */
  history: StartMail[];
  passedDeadlines: PassedDeadline[];
  /** The start is in the past and catch-up would send something at once: `past` must be given. */
  choiceRequired: boolean;
}

/** What the instance would be stored as (without `quietUntil`: each choice is tried below). */
export type TrialInstance = Omit<NewInstance, "quietUntil" | "past">;

/** decide()'s view of an instance that does not exist yet, as the store would create it now. */
export function trialState(
  instance: TrialInstance,
  now: Temporal.Instant,
  quietUntil?: string,
): InstanceState {
  const record = newInstanceRecord(
    { ...instance, ...(quietUntil === undefined ? {} : { quietUntil }) },
    now.toString(),
  );
  return instanceState(record, [], []);
}

function localDate(at: Temporal.Instant, timezone: string): Temporal.PlainDate {
  return at.toZonedDateTimeISO(timezone).toPlainDate();
}

export function previewStart(
  definition: Workflow,
  instance: TrialInstance,
  now: Temporal.Instant,
): StartPreview {
  const today = localDate(now, definition.timezone);
  const startDate = localDate(Temporal.Instant.from(instance.startAt), definition.timezone);
  const inPast = Temporal.PlainDate.compare(startDate, today) < 0;
  const mails = (state: InstanceState): StartMail[] =>
    decide(definition, state, now).notifications.map((n) => ({
      kind: n.kind,
      occurrenceKey: n.occurrenceKey,
      milestoneId: n.milestoneId,
      unitId: n.unitId,
      dueAt: n.dueAt,
      at: n.at,
      recipient: recipientId(n.recipient),
      ...(n.ordinal === undefined ? {} : { ordinal: n.ordinal }),
    }));
  const plain = trialState(instance, now);
  const catchUp = mails(plain);
  const passedDeadlines: PassedDeadline[] = occurrenceStatus(definition, plain, now)
    .filter(
      (o) =>
        o.confirmable &&
        o.confirmedAt === null &&
        o.dueAt !== null &&
        Temporal.Instant.compare(Temporal.Instant.from(o.dueAt), now) <= 0,
    )
    .map((o) => ({
      occurrenceKey: o.key,
      milestoneId: o.milestoneId,
      unitId: o.unitId,
      dueAt: o.dueAt as string,
      status: o.status,
    }));
  return {
    startAt: instance.startAt,
    now: now.toString(),
    today: today.toString(),
    inPast,
    catchUp,
    history: mails(trialState(instance, now, now.toString())),
    passedDeadlines,
    choiceRequired: inPast && catchUp.length > 0,
  };
}

/**
 * The located error a start's `past` earns (missing where it is required, given where the start is
 * not in the past), else undefined.
 */
export function pastChoiceError(
  preview: StartPreview,
  past: PastChoice | undefined,
  file: string,
): LocatedError | undefined {
  if (past === undefined && preview.choiceRequired) {
    const n = preview.catchUp.length;
    return located(
      file,
      ["past"],
      `the start is before today (${preview.today}) and would send ${n} mail${n === 1 ? "" : "s"} at once; ` +
        'choose "catch-up" to send them, or "history" to treat the past as history (nobody is mailed ' +
        "about what has passed); POST /api/instances/_preview shows them",
    );
  }
  if (past !== undefined && !preview.inPast) {
    return located(
      file,
      ["past"],
      `applies only to a start before today (${preview.today}); leave it out for this start`,
    );
  }
  return undefined;
}

/** What the start stores for the choice: history is quiet up to the moment of starting. */
export function quietUntilFor(preview: StartPreview, past: PastChoice | undefined): string | undefined {
  return past === "history" && preview.inPast ? preview.now : undefined;
}

/**
 * What a start stores for its `past` (quietUntil and the choice, for the audit entry), worked out
 * from the trial state at `now`. InvalidInputError where the choice is missing or out of place.
 */
export function pastOfStart(
  definition: Workflow,
  instance: TrialInstance,
  now: Temporal.Instant,
  past: PastChoice | undefined,
  file: string,
): Pick<NewInstance, "quietUntil" | "past"> {
  const preview = previewStart(definition, instance, now);
  const error = pastChoiceError(preview, past, file);
  if (error !== undefined) throw new InvalidInputError([error]);
  const quietUntil = quietUntilFor(preview, past);
  return { ...(quietUntil === undefined ? {} : { quietUntil }), ...(past === undefined ? {} : { past }) };
}

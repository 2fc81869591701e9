/**
 * Resume an instance on hold. The administrator chooses what the pause does to the deadlines:
 * - keep: they stand as they were. decide() then sends, at once, what fell due during the pause:
 *   per occurrence the latest reminder (only while its deadline is ahead), the latest escalation
 *   level and any citizen's notice; the preview lists exactly those (sendsNow).
 * - shift: every open occurrence whose deadline is known and not before the hold began moves by
 *   the pause, as a deadline override (so its reminders are planned again from the new date).
 *
 * The pause is measured in the workflow's time zone (calendar days, then exact time), so a
 * deadline at 23:59 stays at 23:59 when the pause spans a change to or from summer time; the
 * exact length is recorded beside it. A shifted deadline's mails get new keys (they include the
 * deadline), so what went out before the hold is marked as sent under the new keys too: the
 * shifted reminder of one already sent, or a "your turn" already sent, is not sent again.
 */
import { z } from "zod";
import type { MilestoneRecord } from "../../store/records.ts";
import { MAX_CHANGE_ITEMS } from "../../store/records.ts";
import { Temporal } from "../../time/temporal.ts";
import { occurrenceStatus } from "../../timeline/decide.ts";
import { BODY_FILE, InvalidInputError, located } from "../admin-input.ts";
import type { SteerAction } from "./actions.ts";
import type { SteerContext } from "./change.ts";
import type { ProposedChange } from "./preview.ts";

export const resumeShape = {
  deadlines: z.enum(["keep", "shift"], {
    message: 'choose "keep" (deadlines stay as they were) or "shift" (deadlines move by the pause)',
  }),
};

export type Shifted = {
  occurrenceKey: string;
  from: string;
  to: string;
};

/** How long the instance was held: as calendar days and time where it runs, and in milliseconds. */
export function pauseLength(since: string, now: Temporal.Instant, timezone: string) {
  const from = Temporal.Instant.from(since);
  const duration = from.toZonedDateTimeISO(timezone).until(now.toZonedDateTimeISO(timezone), {
    largestUnit: "days",
  });
  return { duration, ms: now.epochMilliseconds - from.epochMilliseconds };
}

/** Each open deadline not before `since`, moved by the pause (in the workflow's time zone). */
export function shiftedDeadlines(context: SteerContext, since: string): Shifted[] {
  const { definition, loaded, now } = context;
  const { duration } = pauseLength(since, now, definition.timezone);
  const start = Temporal.Instant.from(since);
  return occurrenceStatus(definition, loaded.state, now).flatMap((o) => {
    if (o.confirmedAt !== null || o.dueAt === null) return [];
    const due = Temporal.Instant.from(o.dueAt);
    if (Temporal.Instant.compare(due, start) < 0) return [];
    const to = due.toZonedDateTimeISO(definition.timezone).add(duration).toInstant().toString();
    return to === o.dueAt ? [] : [{ occurrenceKey: o.key, from: o.dueAt, to }];
  });
}

/** The keys of what was sent for each shifted deadline, under the key its new deadline gives it. */
export function carriedOver(
  instanceId: string,
  sent: readonly string[],
  shifted: readonly Shifted[],
): string[] {
  return shifted.flatMap((s) => {
    const prefix = `${instanceId}/${s.occurrenceKey}/`;
    const suffix = `/${s.from}`;
    return sent
      .filter((key) => key.startsWith(prefix) && key.endsWith(suffix))
      .map((key) => `${key.slice(0, -s.from.length)}${s.to}`);
  });
}

export function proposeResume(
  context: SteerContext,
  input: { deadlines: "keep" | "shift" },
  meta: { reason: string; by: string },
): ProposedChange {
  const { loaded, now, definition } = context;
  const hold = loaded.instance.hold;
  if (hold === undefined) {
    throw new InvalidInputError([
      located(
        BODY_FILE,
        ["hold"],
        "the instance is not on hold, so there is nothing to resume",
        "Forløbet er ikke sat på pause, så der er intet at genoptage.",
      ),
    ]);
  }
  const pause = pauseLength(hold.since, now, definition.timezone);
  const shifted = input.deadlines === "shift" ? shiftedDeadlines(context, hold.since) : [];
  const dueOverrides = { ...loaded.state.dueOverrides };
  for (const s of shifted) dueOverrides[s.occurrenceKey] = s.to;
  const markSent = carriedOver(loaded.instance.instanceId, loaded.state.sent, shifted);
  if (markSent.length > MAX_CHANGE_ITEMS) {
    throw new InvalidInputError([
      located(
        BODY_FILE,
        ["deadlines"],
        `shifting carries ${markSent.length} sent mails over to the new deadlines, more than one change can ` +
          `write (${MAX_CHANGE_ITEMS}); resume with "keep" and move the deadlines one milestone at a time`,
        `Hvis fristerne flyttes, skal ${markSent.length} sendte mails følge med til de nye frister, og det er flere, end én ændring kan gemme (${MAX_CHANGE_ITEMS}). ` +
          "Genoptag med fristerne, som de er, og flyt derefter fristerne én milepæl ad gangen.",
      ),
    ]);
  }
  const stored = new Map(loaded.milestones.map((m) => [m.occurrenceKey, m]));
  const put: MilestoneRecord[] = shifted.flatMap((s) => {
    const record = stored.get(s.occurrenceKey);
    return record === undefined || record.status !== "open" ? [] : [{ ...record, dueAt: s.to }];
  });
  return {
    change: {
      audit: {
        action: "instance.resumed",
        by: meta.by,
        details: {
          reason: meta.reason,
          deadlines: input.deadlines,
          heldSince: hold.since,
          pausedFor: pause.duration.toString(),
          pausedMs: pause.ms,
          shifted,
        },
      },
      set: { hold: null, ...(shifted.length > 0 ? { dueOverrides } : {}) },
      ...(markSent.length > 0 ? { markSent } : {}),
      // The overrides are the truth; the stored states only mirror them for the overview. Too many
      // for one write, they are left to the loop, which is woken at once and writes moved dates.
      ...(put.length > 0 && put.length + markSent.length <= MAX_CHANGE_ITEMS ? { put } : {}),
    },
  };
}

export const resumeAction: SteerAction<typeof resumeShape> = {
  name: "resume",
  shape: resumeShape,
  propose: proposeResume,
};

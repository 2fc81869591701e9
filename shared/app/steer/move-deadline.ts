/**
 * Move a deadline: of one occurrence (one unit, one repetition), or of a milestone's repetition for
 * every unit at once. The new deadline is an override decide() applies when it plans, so the
 * reminders are armed again for the new date (their keys include it) and milestones counted from
 * it follow in the plan; the milestone states show the new date at once.
 */
import { z } from "zod";
import { quote, quoteDa } from "../../model/errors.ts";
import { IdSchema } from "../../model/schema.ts";
import { MAX_CHANGE_ITEMS, type MilestoneRecord } from "../../store/records.ts";
import { Temporal } from "../../time/temporal.ts";
import { compileWorkflow } from "../../timeline/compile.ts";
import { type OccurrenceStatus, occurrenceStatus } from "../../timeline/decide.ts";
import { BODY_FILE, InvalidInputError, located } from "../admin-input.ts";
import type { SteerAction } from "./actions.ts";
import type { SteerContext } from "./change.ts";
import type { ProposedChange } from "./preview.ts";
import { carriedOver } from "./resume.ts";

/** A date (the workflow's deadline time that day), a local date-time, or an instant with offset. */
const DeadlineSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?$/,
    "must be a date YYYY-MM-DD, a local date-time YYYY-MM-DDTHH:MM, or an instant such as 2025-03-30T11:00:00Z",
  );

export const OccurrenceKeySchema = z.string().regex(/^[a-z][a-z0-9-]{0,62}\/[^/\s]{1,80}\/\d{1,4}$/, {
  message: "must be an occurrence key <milestone>/<unit or ->/<repetition>, as the instance shows it",
});

export const moveDeadlineShape = {
  /** One occurrence… */
  occurrenceKey: OccurrenceKeySchema.optional(),
  /** …or this milestone's repetition (0 = the first) for every unit. */
  milestoneId: IdSchema.optional(),
  index: z.number().int().min(0).max(9999).optional(),
  to: DeadlineSchema,
};

type MoveInput = {
  occurrenceKey?: string | undefined;
  milestoneId?: string | undefined;
  index?: number | undefined;
  to: string;
};

/** The new deadline as an instant in the workflow's time zone; null if no such date exists. */
export function deadlineInstant(value: string, context: SteerContext): Temporal.Instant | null {
  const compiled = compileWorkflow(context.definition);
  try {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      return Temporal.PlainDate.from(value, { overflow: "reject" })
        .toZonedDateTime({
          timeZone: compiled.timezone,
          plainTime: new Temporal.PlainTime(compiled.dueTime.hour, compiled.dueTime.minute),
        })
        .toInstant();
    }
    if (/T\d{2}:\d{2}(:\d{2})?$/.test(value)) {
      return Temporal.PlainDateTime.from(value, { overflow: "reject" })
        .toZonedDateTime(compiled.timezone)
        .toInstant();
    }
    return Temporal.Instant.from(value);
  } catch {
    return null;
  }
}

function targets(input: MoveInput, statuses: OccurrenceStatus[]): OccurrenceStatus[] {
  const file = BODY_FILE;
  if ((input.occurrenceKey === undefined) === (input.milestoneId === undefined)) {
    throw new InvalidInputError([
      located(
        file,
        ["occurrenceKey"],
        "give either occurrenceKey (one occurrence) or milestoneId (every unit)",
        "Vælg enten én milepæl for én enhed eller en milepæl for alle enheder.",
      ),
    ]);
  }
  if (input.occurrenceKey !== undefined) {
    const found = statuses.find((o) => o.key === input.occurrenceKey);
    if (found === undefined) {
      throw new InvalidInputError([
        located(
          file,
          ["occurrenceKey"],
          `the instance has no occurrence ${quote(input.occurrenceKey)}`,
          `Forløbet har ingen milepæl ${quoteDa(input.occurrenceKey)}.`,
        ),
      ]);
    }
    return [found];
  }
  const index = input.index ?? 0;
  const found = statuses.filter((o) => o.milestoneId === input.milestoneId && o.index === index);
  if (found.length === 0) {
    throw new InvalidInputError([
      located(
        file,
        ["milestoneId"],
        `the instance has no milestone ${quote(input.milestoneId ?? "")} with repetition ${index}`,
        `Forløbet har ingen milepæl ${quoteDa(input.milestoneId ?? "")} med gentagelse nr. ${index + 1}.`,
      ),
    ]);
  }
  return found;
}

export function proposeMove(
  context: SteerContext,
  input: MoveInput,
  meta: { reason: string; by: string },
): ProposedChange {
  const { loaded, definition, now } = context;
  const to = deadlineInstant(input.to, context);
  if (to === null) {
    throw new InvalidInputError([
      located(
        BODY_FILE,
        ["to"],
        `${quote(input.to)} is not a date or time that exists`,
        `${quoteDa(input.to)} er ikke en dato eller et tidspunkt, der findes.`,
      ),
    ]);
  }
  if (Temporal.Instant.compare(to, Temporal.Instant.from(loaded.state.startAt)) < 0) {
    throw new InvalidInputError([
      located(
        BODY_FILE,
        ["to"],
        "the new deadline is before the instance started",
        "Den nye frist ligger før forløbets start.",
      ),
    ]);
  }
  const statuses = occurrenceStatus(definition, loaded.state, now);
  const all = targets(input, statuses);
  const open = all.filter((o) => o.confirmedAt === null);
  if (open.length === 0) {
    throw new InvalidInputError([
      located(
        BODY_FILE,
        [input.occurrenceKey === undefined ? "milestoneId" : "occurrenceKey"],
        "it is confirmed already; undo the confirmation first if the deadline must move",
        "Milepælen er allerede bekræftet. Fortryd bekræftelsen først, hvis fristen skal flyttes.",
      ),
    ]);
  }
  const toIso = to.toString();
  const moving = open.filter((o) => o.dueAt !== toIso);
  const stored = new Map(loaded.milestones.map((m) => [m.occurrenceKey, m]));
  const put: MilestoneRecord[] = moving.flatMap((o) => {
    const record = stored.get(o.key);
    return record === undefined || record.status !== "open" ? [] : [{ ...record, dueAt: toIso }];
  });
  const dueOverrides = { ...loaded.state.dueOverrides };
  for (const o of moving) dueOverrides[o.key] = toIso;
  // A mail's key ends in its deadline. Reminders and escalations are meant to go again for the new
  // date; a "your turn" mail is not: it counts as sent under the new deadline too.
  const markSent = carriedOver(
    loaded.instance.instanceId,
    loaded.state.sent,
    moving.map((o) => ({ occurrenceKey: o.key, from: o.dueAt ?? "-", to: toIso })),
  ).filter((key) => key.split("/")[4] === "activated");
  // The milestone states follow on the loop's next step anyway; they go in the same write if they fit.
  const fits = put.length + markSent.length <= MAX_CHANGE_ITEMS;
  return {
    change: {
      audit: {
        action: "deadline.moved",
        by: meta.by,
        details: {
          reason: meta.reason,
          to: toIso,
          occurrences: moving.map((o) => ({ occurrenceKey: o.key, from: o.dueAt })),
          // Confirmed ones of the same milestone keep their deadline.
          skippedConfirmed: all.length - open.length,
        },
      },
      set: { dueOverrides },
      ...(fits && put.length > 0 ? { put } : {}),
      ...(markSent.length > 0 ? { markSent } : {}),
    },
  };
}

export const moveDeadlineAction: SteerAction<typeof moveDeadlineShape> = {
  name: "move-deadline",
  shape: moveDeadlineShape,
  propose: proposeMove,
};

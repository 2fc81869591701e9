/**
 * The workflow definition language (workflows/*.yaml), as zod schemas.
 * Types are inferred from the schemas; the grammar is documented in workflows/README.md.
 *
 * Structural rules live here; rules that need the whole document (references, cycles,
 * CPR-looking values) live in validate.ts so each error can point at the right path.
 */
import { z } from "zod";
import { MAX_PATTERN_LENGTH } from "./pattern.ts";

/** Names that would reach an object's prototype when used as a key. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Identifiers appear in URLs, idempotency keys and DynamoDB keys: keep them plain. */
export const IdSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,62}$/,
    "must be lower-case letters, digits and '-', start with a letter, at most 63 characters",
  );

/**
 * C0 and C1 control characters and the Unicode line and paragraph separators: a name or a title
 * with a line break can forge a mail header, a calendar property or a log line.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The same, except the tab and line break a longer text (a description) may hold. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
const CONTROL_IN_PROSE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Whether a one-line text holds a line break or another control character. */
export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}

function controlMessage(value: string, pattern: RegExp): string {
  const found = pattern.exec(value)?.[0] ?? "";
  const code = `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  return `must not contain line breaks or other control characters (found ${code}); write it on one line`;
}

/** One line of text shown to people: a title, a unit's or a person's name. */
export const LineSchema = z
  .string()
  .min(1, "must not be empty")
  .check((ctx) => {
    if (CONTROL.test(ctx.value)) {
      ctx.issues.push({ code: "custom", input: ctx.value, message: controlMessage(ctx.value, CONTROL) });
    }
  });

/** Prose: line breaks and tabs are fine, other control characters are not. */
const ProseSchema = z
  .string()
  .min(1, "must not be empty")
  .check((ctx) => {
    if (CONTROL_IN_PROSE.test(ctx.value)) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        message: controlMessage(ctx.value, CONTROL_IN_PROSE)
          .replace("line breaks or other control characters", "control characters")
          .replace("; write it on one line", ""),
      });
    }
  });

export const LanguageSchema = z.enum(["da", "en"]);
export type Language = z.infer<typeof LanguageSchema>;

/** A user-facing text: a plain string is Danish; an object gives Danish and optionally English. */
export const TextSchema = z.union([
  LineSchema,
  z.strictObject({ da: LineSchema, en: LineSchema.optional() }),
]);
export type Text = z.infer<typeof TextSchema>;

/** A longer user-facing text (a description): like TextSchema, with line breaks allowed. */
export const ProseTextSchema = z.union([
  ProseSchema,
  z.strictObject({ da: ProseSchema, en: ProseSchema.optional() }),
]);

/** YYYY-MM-DD; that the date exists (no 2024-02-30) is checked in validate.ts with the calendar. */
export const DateStringSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD, e.g. 2024-10-31");

/** HH:MM local wall-clock time. */
export const TimeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day written HH:MM, e.g. 08:00");

/**
 * A duration: ISO 8601 (`P4M`, `P1Y`, `P14D`, `PT24H`, `P0D`) or working days
 * (`6 working days`, `6 hverdage`). Parsed further in shared/time/duration.ts.
 */
export const DurationStringSchema = z
  .string()
  .regex(
    /^(P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?|\d+ (working days?|hverdage?|hverdag))$/,
    "must be an ISO 8601 duration such as P4M, P14D or PT24H, or working days such as '6 working days'",
  );

/** Absolute local date-time YYYY-MM-DDTHH:MM. */
export const DateTimeStringSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, "must be a local date-time written YYYY-MM-DDTHH:MM");

/**
 * Due: an absolute date (`2024-10-31`) or date-time (`2024-10-31T12:00`), a duration from the
 * instance start (`P4M`, `PT24H`, `6 working days`), or the long form
 * `{ in: P4M, from: start | <milestone id> }` where a milestone id means "from its confirmation".
 */
export const DueObjectSchema = z.strictObject({
  in: DurationStringSchema,
  from: z.union([z.literal("start"), IdSchema]).default("start"),
});
export const DueSchema = z.union([
  DateStringSchema,
  DateTimeStringSchema,
  DurationStringSchema,
  DueObjectSchema,
]);
export type DueInput = z.infer<typeof DueSchema>;

/**
 * Who receives a milestone's mail:
 * - `leader`: the leader of the unit the occurrence belongs to (fan-out milestones),
 * - `unit:<id>`: the leader of a fixed unit from the directory (e.g. `unit:forvaltning`),
 * - `param:<name>`: an e-mail address given as an instance parameter (a caseworker).
 */
export const RecipientSchema = z
  .string()
  .regex(
    /^(leader|manager|unit:[a-z][a-z0-9-]*|param:[a-zA-Z][a-zA-Z0-9_]*)$/,
    "must be 'leader', 'manager', 'unit:<unit id>' or 'param:<parameter name>'",
  );
export type RecipientInput = z.infer<typeof RecipientSchema>;

export const EscalationSchema = z.strictObject({
  /** Default: the owner's manager. */
  to: RecipientSchema.default("manager"),
  /** First escalation this long after the deadline (must be more than zero). */
  after: DurationStringSchema.default("P1D"),
  /** Then again at this interval... */
  every: DurationStringSchema.default("P7D"),
  /** ...at most this many escalations in all. */
  max: z.number().int().min(1).max(20).default(3),
});
export type EscalationInput = z.infer<typeof EscalationSchema>;

/** A notice to a citizen (or other party) before a deadline that is about to be missed. */
export const NoticeSchema = z.strictObject({
  to: RecipientSchema,
  before: DurationStringSchema,
});

export const RecurrenceSchema = z
  .strictObject({
    /** Interval between occurrences, e.g. P1Y (every year) or P6M. */
    every: DurationStringSchema,
    /** Last possible due date (inclusive), or a duration after the instance start. */
    until: z.union([DateStringSchema, DurationStringSchema]).optional(),
    /** Or: the number of occurrences in all. */
    count: z.number().int().min(1).max(500).optional(),
  })
  .refine((r) => r.until !== undefined || r.count !== undefined, {
    message: "recurrence never ends: give 'until' (a date or a duration after the start) or 'count'",
  });
export type RecurrenceInput = z.infer<typeof RecurrenceSchema>;

export const MilestoneSchema = z.strictObject({
  id: IdSchema,
  title: TextSchema,
  description: ProseTextSchema.optional(),
  /** Who owns (and confirms) the milestone. Default: `leader` when it fans out, else required. */
  owner: RecipientSchema.optional(),
  due: DueSchema,
  /** Milestones that must be confirmed before this one starts (reminders wait for them). */
  after: z.array(IdSchema).default([]),
  /** One occurrence per unit of these types, owned by that unit's leader. */
  forEach: z.array(IdSchema).min(1).optional(),
  recurrence: RecurrenceSchema.optional(),
  /** Reminders before the deadline; overrides the workflow's default. `P0D` is on the day. */
  reminders: z.array(DurationStringSchema).optional(),
  /** Escalation after a missed deadline; `false` turns it off. Overrides the workflow default. */
  escalation: z.union([EscalationSchema, z.literal(false)]).optional(),
  notices: z.array(NoticeSchema).default([]),
  /** A deadline on a weekend, holiday or closing day moves to the next working day. */
  adjust: z.enum(["none", "next-working-day"]).default("none"),
  /** A milestone that only marks a period (no reminders, nobody confirms), e.g. "implementation". */
  confirm: z.boolean().default(true),
});
export type MilestoneInput = z.input<typeof MilestoneSchema>;
export type Milestone = z.infer<typeof MilestoneSchema>;

export const ParameterSchema = z.strictObject({
  type: z.enum(["string", "number", "date", "email", "boolean"]),
  title: TextSchema.optional(),
  required: z.boolean().default(true),
  /** For strings: a regular expression (RE2 syntax, see pattern.ts) the value must match in full. */
  pattern: z.string().max(MAX_PATTERN_LENGTH).optional(),
});
export type Parameter = z.infer<typeof ParameterSchema>;

export const CalendarSchema = z.strictObject({
  /** Public holidays: Danish (DK) from the date-holidays library. */
  holidays: z.enum(["DK", "none"]).default("DK"),
  /** The municipality's own closing days: `MM-DD` every year, or a `YYYY-MM-DD` date. */
  closingDays: z
    .array(
      z
        .string()
        .regex(/^(\d{4}-)?\d{2}-\d{2}$/, "must be MM-DD (every year) or YYYY-MM-DD (one date), e.g. 12-24"),
    )
    .default([]),
});
export type CalendarInput = z.infer<typeof CalendarSchema>;

export const WorkflowSchema = z.strictObject({
  id: IdSchema,
  title: TextSchema,
  description: ProseTextSchema.optional(),
  /** Which municipality or source this follows, e.g. a document reference. */
  source: LineSchema.optional(),
  timezone: z.string().default("Europe/Copenhagen"),
  language: LanguageSchema.default("da"),
  calendar: CalendarSchema.default({ holidays: "DK", closingDays: [] }),
  /** Deadlines given as a date are due at this local time on that date. */
  dueTime: TimeOfDaySchema.default("23:59"),
  /** Reminders and escalations counted in days go out at this local time. */
  notifyTime: TimeOfDaySchema.default("08:00"),
  parameters: z
    .record(
      z
        .string()
        .regex(
          /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/,
          "a parameter name is a letter, then letters, digits or '_' (at most 63)",
        )
        .refine((name) => !RESERVED_NAMES.has(name), "is a reserved name; choose another parameter name"),
      ParameterSchema,
    )
    .default({}),
  defaults: z
    .strictObject({
      reminders: z.array(DurationStringSchema).default(["P14D", "P3D", "P0D"]),
      escalation: z.union([EscalationSchema, z.literal(false)]).default({
        to: "manager",
        after: "P1D",
        every: "P7D",
        max: 3,
      }),
    })
    .default({
      reminders: ["P14D", "P3D", "P0D"],
      escalation: { to: "manager", after: "P1D", every: "P7D", max: 3 },
    }),
  milestones: z.array(MilestoneSchema).min(1, "a workflow needs at least one milestone"),
});
export type WorkflowInput = z.input<typeof WorkflowSchema>;
export type Workflow = z.infer<typeof WorkflowSchema>;

/** A unit in the directory: a daycare, a school, the administration, a team. */
export const UnitSchema = z.strictObject({
  id: IdSchema,
  name: LineSchema,
  type: IdSchema,
  leader: z.strictObject({ name: LineSchema, email: z.email() }),
  manager: z.strictObject({ name: LineSchema, email: z.email() }).optional(),
});
export type Unit = z.infer<typeof UnitSchema>;
export const UnitsFileSchema = z.array(UnitSchema);

export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

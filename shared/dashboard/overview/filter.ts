/**
 * The overview's milestone filter, read from the URL query and applied to found rows: pure, so the
 * page, the export and the tests read and apply one filter the same way.
 *
 * - parse(URLSearchParams): the filter, or the fields that are wrong (each with a message key,
 *   so the page can say which field and why, and show the unfiltered form instead of a 500);
 * - queryWindow(filter, now): the due-index range the filter needs (period and status narrowed to
 *   one [from, to) window), so the route asks the index for that range and no more;
 * - matches(filter, row): whether a found row passes the filter's other fields;
 * - sortRows: the chosen order (common/paging.ts then shows a page of it);
 * - toQuery: the filter written back to a query (paging and sorting links keep it).
 *
 * Dates are local dates in the dashboard's time zone: "to" includes its whole day.
 */
import { z } from "zod";
import { IdSchema } from "../../model/schema.ts";
import { Temporal } from "../../time/temporal.ts";
import { DUE_SOON_DAYS, type OccurrenceStatusName } from "../../timeline/status.ts";
import {
  containsText,
  type FieldRule,
  PAGE_NUMBER,
  readQueryFields,
  SEARCH_TEXT,
} from "../common/query-fields.ts";

/** Statuses a milestone in the due index can have (open and confirmable: never confirmed or period). */
export const LISTED_STATUSES = [
  "overdue",
  "due-soon",
  "open",
  "waiting",
  "on-hold",
] as const satisfies readonly OccurrenceStatusName[];
export type ListedStatus = (typeof LISTED_STATUSES)[number];

/** Quick choices of due period, beside a from/to range. */
export const PERIODS = ["overdue", "next7", "next30"] as const;
export type Period = (typeof PERIODS)[number];

export const SORTS = ["due", "overdue"] as const;
export type Sort = (typeof SORTS)[number];
export const ORDERS = ["asc", "desc"] as const;
export type Order = (typeof ORDERS)[number];

export interface MilestoneFilter {
  workflow?: string;
  unit?: string;
  /** Case-insensitive part of the responsible person's name (or description). */
  owner?: string;
  status?: ListedStatus;
  period?: Period;
  /** Local dates YYYY-MM-DD, both inclusive. */
  from?: string;
  to?: string;
  /** Case-insensitive part of the case reference. */
  ref?: string;
  /** Case-insensitive part of the instance's name. */
  name?: string;
  sort: Sort;
  order: Order;
  page: number;
}

/** The fields that narrow the list (the rest order and page it), in the order the form shows them. */
const NARROWING_FIELDS = [
  "workflow",
  "unit",
  "owner",
  "status",
  "period",
  "from",
  "to",
  "ref",
  "name",
] as const;

/** The query fields, in the order the form shows them. */
export const FILTER_FIELDS = [...NARROWING_FIELDS, "sort", "order", "page"] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** Why a field was refused: a key the strings say in words. */
export type FilterProblem =
  | "badId"
  | "tooLong"
  | "badStatus"
  | "badPeriod"
  | "badDate"
  | "toBeforeFrom"
  | "periodAndDates"
  | "badSort"
  | "badOrder"
  | "badPage"
  | "cpr";

export type FilterErrors = Map<FilterField, FilterProblem>;

export type ParseResult = { ok: true; filter: MilestoneFilter } | { ok: false; errors: FilterErrors };

export const DEFAULT_FILTER: MilestoneFilter = { sort: "due", order: "asc", page: 1 };

const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => {
    try {
      Temporal.PlainDate.from(value, { overflow: "reject" });
      return true;
    } catch {
      return false;
    }
  });

const FIELD_SCHEMAS: Record<FilterField, FieldRule<FilterProblem>> = {
  workflow: { schema: IdSchema, problem: "badId" },
  unit: { schema: IdSchema, problem: "badId" },
  owner: { schema: SEARCH_TEXT, problem: "tooLong" },
  status: { schema: z.enum(LISTED_STATUSES), problem: "badStatus" },
  period: { schema: z.enum(PERIODS), problem: "badPeriod" },
  from: { schema: LocalDate, problem: "badDate" },
  to: { schema: LocalDate, problem: "badDate" },
  ref: { schema: SEARCH_TEXT, problem: "tooLong" },
  name: { schema: SEARCH_TEXT, problem: "tooLong" },
  sort: { schema: z.enum(SORTS), problem: "badSort" },
  order: { schema: z.enum(ORDERS), problem: "badOrder" },
  page: { schema: PAGE_NUMBER, problem: "badPage" },
};

/** The fields that take free text (searched as parts). */
const TEXT_FIELDS: ReadonlySet<FilterField> = new Set(["owner", "ref", "name"]);

/** An empty field is no filter (a GET form sends every field, most of them empty). */
export function parse(query: URLSearchParams): ParseResult {
  const { values, errors } = readQueryFields(query, FIELD_SCHEMAS, FILTER_FIELDS, TEXT_FIELDS);
  const from = values.from as string | undefined;
  const to = values.to as string | undefined;
  if (from !== undefined && to !== undefined && Temporal.PlainDate.compare(from, to) > 0) {
    errors.set("to", "toBeforeFrom");
  }
  if (values.period !== undefined && (from !== undefined || to !== undefined)) {
    errors.set("period", "periodAndDates");
  }
  if (errors.size > 0) return { ok: false, errors };
  const filter: MilestoneFilter = {
    sort: (values.sort as Sort | undefined) ?? "due",
    order: (values.order as Order | undefined) ?? "asc",
    page: (values.page as number | undefined) ?? 1,
  };
  for (const field of NARROWING_FIELDS) {
    const value = values[field];
    if (value !== undefined) Object.assign(filter, { [field]: value });
  }
  return { ok: true, filter };
}

/** Does the filter narrow anything (besides order and page)? */
export function isFiltered(filter: MilestoneFilter): boolean {
  return NARROWING_FIELDS.some((f) => filter[f] !== undefined);
}

/** A range of deadlines, [from, to); null is unbounded on that side. */
export interface DueWindow {
  from: Temporal.Instant | null;
  to: Temporal.Instant | null;
}

const DAY_HOURS = 24;

/**
 * The deadlines the filter can match: its period (quick choice or dates, in `timezone`) and what
 * its status implies (overdue is before now, due soon the next DUE_SOON_DAYS, open after that).
 * Null when they cannot meet (nothing to read).
 */
export function queryWindow(
  filter: MilestoneFilter,
  now: Temporal.Instant,
  timezone: string,
): DueWindow | null {
  const windows: DueWindow[] = [];
  const startOf = (date: string) =>
    Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: timezone }).toInstant();
  const ahead = (days: number) => now.add({ hours: DAY_HOURS * days });
  if (filter.period === "overdue") windows.push({ from: null, to: now });
  if (filter.period === "next7") windows.push({ from: now, to: ahead(7) });
  if (filter.period === "next30") windows.push({ from: now, to: ahead(30) });
  if (filter.from !== undefined || filter.to !== undefined) {
    windows.push({
      from: filter.from === undefined ? null : startOf(filter.from),
      to:
        filter.to === undefined
          ? null
          : Temporal.PlainDate.from(filter.to)
              .add({ days: 1 })
              .toZonedDateTime({ timeZone: timezone })
              .toInstant(),
    });
  }
  // A due-soon deadline may lie exactly at now + 7 days (statusAt counts it as due soon): +1 ms.
  const soonEnd = ahead(DUE_SOON_DAYS).add({ milliseconds: 1 });
  if (filter.status === "overdue") windows.push({ from: null, to: now });
  if (filter.status === "due-soon") windows.push({ from: now, to: soonEnd });
  if (filter.status === "open") windows.push({ from: ahead(DUE_SOON_DAYS), to: null });
  return windows.reduce<DueWindow | null>(intersect, { from: null, to: null });
}

function intersect(a: DueWindow | null, b: DueWindow): DueWindow | null {
  if (a === null) return null;
  const later = (x: Temporal.Instant | null, y: Temporal.Instant | null) =>
    x === null ? y : y === null ? x : Temporal.Instant.compare(x, y) >= 0 ? x : y;
  const earlier = (x: Temporal.Instant | null, y: Temporal.Instant | null) =>
    x === null ? y : y === null ? x : Temporal.Instant.compare(x, y) <= 0 ? x : y;
  const from = later(a.from, b.from);
  const to = earlier(a.to, b.to);
  if (from !== null && to !== null && Temporal.Instant.compare(from, to) >= 0) return null;
  return { from, to };
}

/** What the filter compares of a found milestone (see find.ts FoundMilestone). */
export interface FilterableRow {
  workflowId: string;
  unitId: string | null;
  owner: string | null;
  status: OccurrenceStatusName;
  dueAt: string;
  caseRef: string | null;
  instanceName: string;
  daysOverdue: number | null;
}

/**
 * An instant's milliseconds: the native parser for the stored form (`…Z`, at most milliseconds),
 * which a list of thousands reads many times faster than Temporal's; Temporal for anything else.
 */
export function epochMs(iso: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(iso) ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(ms) ? Temporal.Instant.from(iso).epochMilliseconds : ms;
}

/** Whether the row passes every field of the filter (the due window included, to be exact). */
export function matches(
  filter: MilestoneFilter,
  row: FilterableRow,
  window: DueWindow | null = { from: null, to: null },
): boolean {
  if (window === null) return false;
  const due = epochMs(row.dueAt);
  if (window.from !== null && due < window.from.epochMilliseconds) return false;
  if (window.to !== null && due >= window.to.epochMilliseconds) return false;
  if (filter.workflow !== undefined && row.workflowId !== filter.workflow) return false;
  if (filter.unit !== undefined && row.unitId !== filter.unit) return false;
  if (filter.status !== undefined && row.status !== filter.status) return false;
  // The quick choice "overdue" means overdue: past its deadline but still waiting is not.
  if (filter.period === "overdue" && row.status !== "overdue") return false;
  return (
    containsText(row.owner, filter.owner) &&
    containsText(row.caseRef, filter.ref) &&
    containsText(row.instanceName, filter.name)
  );
}

/**
 * The rows in the chosen order: by deadline, or by days overdue (rows not overdue last, either
 * way, by deadline); ties by deadline, then as given, so the order is stable.
 */
export function sortRows<T extends Pick<FilterableRow, "dueAt" | "daysOverdue">>(
  rows: readonly T[],
  sort: Sort,
  order: Order,
): T[] {
  const sign = order === "asc" ? 1 : -1;
  // Each deadline read once (not in every comparison).
  const keyed = rows.map((row, i) => ({ row, i, due: epochMs(row.dueAt) }));
  return keyed
    .sort((a, b) => {
      const byDue = a.due - b.due;
      if (sort === "overdue") {
        const [x, y] = [a.row.daysOverdue, b.row.daysOverdue];
        if (x === null && y !== null) return 1;
        if (y === null && x !== null) return -1;
        // Rows not overdue keep the deadline order; more days overdue is an earlier deadline.
        if (x === null || y === null) return byDue || a.i - b.i;
        if (x !== y) return sign * (x - y);
        return -sign * byDue || a.i - b.i;
      }
      return sign * byDue || a.i - b.i;
    })
    .map(({ row }) => row);
}

/** The filter as a query string (no `?`), with some fields replaced (a page, a sort); defaults left out. */
export function toQuery(filter: MilestoneFilter, change: Partial<MilestoneFilter> = {}): string {
  const merged: MilestoneFilter = { ...filter, ...change };
  const query = new URLSearchParams();
  for (const field of FILTER_FIELDS) {
    const value = merged[field];
    if (value === undefined || value === DEFAULT_FILTER[field as keyof MilestoneFilter]) continue;
    query.set(field, String(value));
  }
  return query.toString();
}

/**
 * Whole calendar days from the deadline's date to today's, in the milestone's time zone: a
 * deadline yesterday at 23:59 is one day overdue this morning; one passed earlier today is 0.
 */
export function daysOverdue(
  dueAt: string,
  now: Temporal.Instant,
  timezone: string,
  /** Today in `timezone`, when the caller has it already (a list works it out once). */
  today: Temporal.PlainDate = now.toZonedDateTimeISO(timezone).toPlainDate(),
): number {
  const due = Temporal.Instant.from(dueAt).toZonedDateTimeISO(timezone).toPlainDate();
  return Math.max(0, due.until(today, { largestUnit: "days" }).days);
}

/**
 * The instance list's search, read from the URL query and applied to listed instances: pure, like
 * the overview's (overview/filter.ts), whose field problems and words it shares. Workflow and
 * status go to the list index's query; unit, case reference and name are matched on each
 * instance read for its name (instances/names.ts), which the list reads anyway.
 */
import { z } from "zod";
import { IdSchema } from "../../model/schema.ts";
import type { InstanceStatus } from "../../store/records.ts";
import {
  containsText,
  type FieldRule,
  PAGE_NUMBER,
  readQueryFields,
  SEARCH_TEXT,
} from "../common/query-fields.ts";

export const INSTANCE_STATUSES = [
  "running",
  "done",
  "cancelled",
  "failed",
] as const satisfies readonly InstanceStatus[];

export interface InstanceFilter {
  workflow?: string;
  status?: InstanceStatus;
  unit?: string;
  /** Case-insensitive parts of the case reference and of the name. */
  ref?: string;
  name?: string;
  page: number;
}

export const INSTANCE_FILTER_FIELDS = ["workflow", "status", "unit", "ref", "name", "page"] as const;
export type InstanceFilterField = (typeof INSTANCE_FILTER_FIELDS)[number];
export type InstanceFilterProblem = "badId" | "badStatus" | "tooLong" | "badPage" | "cpr";

const FIELDS: Record<InstanceFilterField, FieldRule<InstanceFilterProblem>> = {
  workflow: { schema: IdSchema, problem: "badId" },
  status: { schema: z.enum(INSTANCE_STATUSES), problem: "badStatus" },
  unit: { schema: IdSchema, problem: "badId" },
  ref: { schema: SEARCH_TEXT, problem: "tooLong" },
  name: { schema: SEARCH_TEXT, problem: "tooLong" },
  page: { schema: PAGE_NUMBER, problem: "badPage" },
};

/** Searched as parts, and refused when they hold a CPR number. */
const TEXT_FIELDS: ReadonlySet<InstanceFilterField> = new Set(["ref", "name"]);

export type InstanceFilterResult =
  | { ok: true; filter: InstanceFilter }
  | { ok: false; errors: Map<InstanceFilterField, InstanceFilterProblem> };

/** Empty fields are no filter (a GET form sends them all). */
export function parseInstanceFilter(query: URLSearchParams): InstanceFilterResult {
  const { values, errors } = readQueryFields(query, FIELDS, INSTANCE_FILTER_FIELDS, TEXT_FIELDS);
  return errors.size > 0
    ? { ok: false, errors }
    : { ok: true, filter: { page: 1, ...values } as InstanceFilter };
}

/** Does the filter need each instance's record (its units, name or case reference)? */
export function needsRecords(filter: InstanceFilter): boolean {
  return filter.unit !== undefined || filter.ref !== undefined || filter.name !== undefined;
}

/** What the filter compares of a listed instance. */
export interface ListedFacts {
  unitIds: readonly string[];
  name: string;
  /** The case-identifying values, joined; null: none. */
  caseRef: string | null;
}

/** Unit, case reference and name (workflow and status are the index query's). */
export function matchesInstance(filter: InstanceFilter, facts: ListedFacts): boolean {
  if (filter.unit !== undefined && !facts.unitIds.includes(filter.unit)) return false;
  return containsText(facts.caseRef, filter.ref) && containsText(facts.name, filter.name);
}

/** The filter as a query string (no `?`), page 1 left out: what paging links carry. */
export function instanceQuery(filter: InstanceFilter, page = filter.page): string {
  const query = new URLSearchParams();
  for (const field of INSTANCE_FILTER_FIELDS) {
    const value = field === "page" ? (page === 1 ? undefined : page) : filter[field];
    if (value !== undefined) query.set(field, String(value));
  }
  return query.toString();
}

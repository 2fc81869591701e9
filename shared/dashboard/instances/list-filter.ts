/**
 * The instance list's search, read from the URL query and applied to listed instances: pure, like
 * the overview's (overview/filter.ts), whose field problems and words it shares. Workflow and
 * status go to the list index's query; unit, case reference and name are matched on each
 * instance read for its name (instances/names.ts), which the list reads anyway.
 */
import { z } from "zod";
import { looksLikeCpr } from "../../model/cpr.ts";
import { IdSchema } from "../../model/schema.ts";
import type { InstanceStatus } from "../../store/records.ts";

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

const Text = z.string().max(100);
const FIELDS: Record<InstanceFilterField, { schema: z.ZodType; problem: InstanceFilterProblem }> = {
  workflow: { schema: IdSchema, problem: "badId" },
  status: { schema: z.enum(INSTANCE_STATUSES), problem: "badStatus" },
  unit: { schema: IdSchema, problem: "badId" },
  ref: { schema: Text, problem: "tooLong" },
  name: { schema: Text, problem: "tooLong" },
  page: { schema: z.coerce.number().int().min(1).max(100_000), problem: "badPage" },
};

export type InstanceFilterResult =
  | { ok: true; filter: InstanceFilter }
  | { ok: false; errors: Map<InstanceFilterField, InstanceFilterProblem> };

/** Empty fields are no filter (a GET form sends them all). */
export function parseInstanceFilter(query: URLSearchParams): InstanceFilterResult {
  const errors = new Map<InstanceFilterField, InstanceFilterProblem>();
  const filter: InstanceFilter = { page: 1 };
  for (const field of INSTANCE_FILTER_FIELDS) {
    const raw = query.get(field)?.trim() ?? "";
    if (raw === "") continue;
    // fristflow stores no CPR numbers: a search for one finds nothing, and must not be echoed.
    if ((field === "ref" || field === "name") && looksLikeCpr(raw)) {
      errors.set(field, "cpr");
      continue;
    }
    const parsed = FIELDS[field].schema.safeParse(raw);
    if (parsed.success) Object.assign(filter, { [field]: parsed.data });
    else errors.set(field, FIELDS[field].problem);
  }
  return errors.size > 0 ? { ok: false, errors } : { ok: true, filter };
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

function contains(value: string | null, part: string | undefined): boolean {
  if (part === undefined) return true;
  return value?.toLocaleLowerCase("da").includes(part.toLocaleLowerCase("da")) ?? false;
}

/** Unit, case reference and name (workflow and status are the index query's). */
export function matchesInstance(filter: InstanceFilter, facts: ListedFacts): boolean {
  if (filter.unit !== undefined && !facts.unitIds.includes(filter.unit)) return false;
  return contains(facts.caseRef, filter.ref) && contains(facts.name, filter.name);
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

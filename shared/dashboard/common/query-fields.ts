/**
 * Searches read from the URL query, the one way for every list (the overview's, the instance
 * list's, the directory's page number): an empty field is no filter (a GET form sends every field),
 * a free-text field that holds a CPR number is refused as such (fristflow stores none, and never
 * echoes one), and every other value must pass its field's schema or is refused with the field's
 * problem, so the page can say which field and why. Pure.
 */
import { z } from "zod";
import { looksLikeCpr } from "../../model/cpr.ts";

/** Longest search text accepted (a name or case reference is far shorter). */
export const MAX_SEARCH_TEXT = 100;
export const SEARCH_TEXT = z.string().max(MAX_SEARCH_TEXT);
/** `?page=`: a whole number from 1. */
export const PAGE_NUMBER = z.coerce.number().int().min(1).max(100_000);

export interface FieldRule<P extends string> {
  schema: z.ZodType;
  problem: P;
}

export interface ReadFields<F extends string, P extends string> {
  values: Partial<Record<F, unknown>>;
  errors: Map<F, P | "cpr">;
}

/** Each of `fields` as its rule reads it from the query; the free-text ones are `text`. */
export function readQueryFields<F extends string, P extends string>(
  query: URLSearchParams,
  rules: Record<F, FieldRule<P>>,
  fields: readonly F[],
  text: ReadonlySet<F>,
): ReadFields<F, P> {
  const values: Partial<Record<F, unknown>> = {};
  const errors = new Map<F, P | "cpr">();
  for (const field of fields) {
    const raw = query.get(field)?.trim() ?? "";
    if (raw === "") continue;
    if (text.has(field) && looksLikeCpr(raw)) {
      errors.set(field, "cpr");
      continue;
    }
    const parsed = rules[field].schema.safeParse(raw);
    if (parsed.success) values[field] = parsed.data;
    else errors.set(field, rules[field].problem);
  }
  return { values, errors };
}

/** Does `value` hold `part`, whatever the case (no part: yes; no value: no)? */
export function containsText(value: string | null, part: string | undefined): boolean {
  if (part === undefined) return true;
  return value?.toLocaleLowerCase("da").includes(part.toLocaleLowerCase("da")) ?? false;
}

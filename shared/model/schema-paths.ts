/** What a zod schema accepts at a path of the data: the schemas there, union or not, and their keys. */
import { z } from "zod";
import type { PathSegment } from "./errors.ts";

/** The schema without the wrappers that do not change what is accepted. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPrefault) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.in as z.ZodType;
    } else {
      return s;
    }
  }
}

/** The schemas that may describe the value at a path (several when the path crosses a union). */
function schemasAt(schema: z.ZodType, path: readonly PathSegment[]): z.ZodType[] {
  let current = [unwrap(schema)];
  for (const segment of path) {
    const next: z.ZodType[] = [];
    const expand = (s: z.ZodType): void => {
      if (s instanceof z.ZodUnion) {
        for (const option of s.options) expand(unwrap(option as z.ZodType));
      } else if (s instanceof z.ZodObject && typeof segment === "string") {
        const child = (s.shape as Record<string, z.ZodType>)[segment];
        if (child !== undefined) next.push(unwrap(child));
      } else if (s instanceof z.ZodArray && typeof segment === "number") {
        next.push(unwrap(s.element as z.ZodType));
      } else if (s instanceof z.ZodRecord && typeof segment === "string") {
        next.push(unwrap(s.valueType as z.ZodType));
      }
    };
    for (const s of current) expand(s);
    current = next;
  }
  return current;
}

export function isUnionAt(schema: z.ZodType, path: readonly PathSegment[]): boolean {
  return schemasAt(schema, path).some((s) => s instanceof z.ZodUnion);
}

/** Keys allowed in the mapping at a path, for "unknown key" messages. */
export function objectKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  const keys: string[] = [];
  const collect = (s: z.ZodType): void => {
    if (s instanceof z.ZodUnion) for (const option of s.options) collect(unwrap(option as z.ZodType));
    else if (s instanceof z.ZodObject) keys.push(...Object.keys(s.shape));
  };
  for (const s of schemasAt(schema, path)) collect(s);
  return [...new Set(keys)];
}

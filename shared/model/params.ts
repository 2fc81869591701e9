/**
 * Instance parameters (a case reference, a caseworker's address, a deadline date), checked
 * against the workflow's declarations. Values often arrive as strings from a CLI or a form, so
 * numbers, booleans and dates are coerced from their text.
 */
import { z } from "zod";
import { isRealDate } from "../time/calendar.ts";
import { CPR_MESSAGE, looksLikeCpr, numberLooksLikeCpr } from "./cpr.ts";
import {
  describeValue,
  type LoadResult,
  type LocatedError,
  quote,
  sortErrors,
  unknownName,
} from "./errors.ts";
import { compilePattern } from "./pattern.ts";
import type { Parameter, Params, ParamValue, Workflow } from "./schema.ts";

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = z.email();

export function validateParams(
  workflow: Workflow,
  raw: Record<string, string | number | boolean>,
  file = "<parameters>",
): LoadResult<Params> {
  const errors: LocatedError[] = [];
  const report = (name: string, message: string): void => {
    errors.push({ file, line: 0, column: 0, path: `parameters.${name}`, message });
  };
  const declared = workflow.parameters;
  const value: Params = {};

  for (const [name, given] of Object.entries(raw)) {
    // First, before anything could echo or keep it: no CPR number passes, declared or not.
    if (isCpr(given)) {
      report(name, `the value ${CPR_MESSAGE}`);
      continue;
    }
    const parameter = Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (parameter === undefined) {
      const names = Object.keys(declared);
      report(
        name,
        names.length === 0
          ? `unknown parameter ${quote(name)}; this workflow takes no parameters`
          : unknownName("parameter", name, names),
      );
      continue;
    }
    // An empty optional value from a form means "not given"; an empty required one is missing.
    if (given === "" && !parameter.required) continue;
    const coerced = coerce(parameter, given);
    if (coerced.ok) value[name] = coerced.value;
    else report(name, coerced.message);
  }

  for (const [name, parameter] of Object.entries(declared)) {
    if (
      !parameter.required ||
      Object.hasOwn(value, name) ||
      errors.some((e) => e.path === `parameters.${name}`)
    ) {
      continue;
    }
    report(name, `missing required parameter ${quote(name)} (type ${parameter.type})`);
  }
  return errors.length > 0 ? { ok: false, errors: sortErrors(errors) } : { ok: true, value };
}

function isCpr(value: string | number | boolean): boolean {
  if (typeof value === "string") return looksLikeCpr(value);
  if (typeof value === "number") return numberLooksLikeCpr(value);
  return false;
}

type Coerced = { ok: true; value: ParamValue } | { ok: false; message: string };

const good = (value: ParamValue): Coerced => ({ ok: true, value });
const bad = (message: string): Coerced => ({ ok: false, message });

function coerce(parameter: Parameter, given: string | number | boolean): Coerced {
  switch (parameter.type) {
    case "number": {
      if (typeof given === "number") {
        return Number.isFinite(given) ? good(given) : bad(`${describeValue(given)} is not a finite number`);
      }
      const text = String(given).trim();
      return NUMBER.test(text)
        ? good(Number(text))
        : bad(`${describeValue(given)} is not a number; write e.g. 42 or 3.5`);
    }
    case "boolean": {
      if (typeof given === "boolean") return good(given);
      const text = String(given).trim().toLowerCase();
      if (text === "true") return good(true);
      if (text === "false") return good(false);
      return bad(`${describeValue(given)} is not a boolean; write true or false`);
    }
    case "date": {
      const text = String(given).trim();
      if (!DATE.test(text))
        return bad(`${describeValue(given)} is not a date; write YYYY-MM-DD, e.g. 2024-10-31`);
      if (!isRealDate(text))
        return bad(`${quote(text)} is not a date that exists; write a real date YYYY-MM-DD`);
      return good(text);
    }
    case "email": {
      const text = String(given).trim();
      if (!EMAIL.safeParse(text).success) {
        return bad(`${describeValue(given)} is not an e-mail address; write e.g. name@kommune.dk`);
      }
      return matchPattern(parameter, text);
    }
    case "string": {
      const text = String(given);
      if (parameter.required && text.trim() === "") return bad("must not be empty");
      return matchPattern(parameter, text);
    }
  }
}

function matchPattern(parameter: Parameter, text: string): Coerced {
  if (parameter.pattern === undefined) return good(text);
  // Linear time whatever the pattern and the value; matched in full, so "\d+" is not satisfied
  // by a part of the value.
  const pattern = compilePattern(parameter.pattern);
  if (!pattern.ok) {
    return bad(`the workflow's pattern ${quote(parameter.pattern)} cannot be used: ${pattern.why}`);
  }
  return pattern.matches(text)
    ? good(text)
    : bad(`${quote(text)} does not match the pattern ${quote(parameter.pattern)}${titleHint(parameter)}`);
}

function titleHint(parameter: Parameter): string {
  const title = parameter.title;
  if (title === undefined) return "";
  return ` (${typeof title === "string" ? title : title.da})`;
}

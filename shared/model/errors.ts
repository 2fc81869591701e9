/**
 * Located validation errors: what every loader in shared/model returns instead of throwing, so a
 * CLI, the admin API and the dashboard can all show "file:line:column path: message" to an
 * administrator who edits YAML by hand.
 */
import { maskCpr, numberLooksLikeCpr } from "./cpr.ts";

export interface LocatedError {
  file: string;
  /** 1-based; 0 when the value has no source position (CLI parameters, a missing file). */
  line: number;
  /** 1-based; 0 when the value has no source position. */
  column: number;
  /** Like `milestones[3].due`; "" for the document as a whole. */
  path: string;
  message: string;
  /**
   * The same refusal in Danish, for the dashboard's Danish pages; the API answers with `message`
   * (English) and leaves this out (shared/http/errors.ts).
   */
  da?: string;
}

export type LoadResult<T> = { ok: true; value: T } | { ok: false; errors: LocatedError[] };

export type PathSegment = string | number;

/** `workflows/x.yaml:12:7 milestones[3].due: <message>`; parts without a value are left out. */
export function formatError(e: LocatedError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file;
  return e.path === "" ? `${where}: ${e.message}` : `${where} ${e.path}: ${e.message}`;
}

export function formatErrors(es: readonly LocatedError[]): string {
  return es.map(formatError).join("\n");
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** ["milestones", 3, "due"] -> "milestones[3].due"; odd keys are quoted so the path stays readable. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(maskCpr(segment))}]`;
  }
  return out;
}

const MAX_QUOTED = 60;

/**
 * A user value as it appears in a message: quoted, shortened, control characters escaped, and
 * any CPR-looking part masked, because error messages end up in logs and fristflow must not
 * copy a CPR number anywhere, not even while refusing it.
 */
export function quote(value: string): string {
  return `'${quotable(value)}'`;
}

/** The same, quoted as Danish text quotes a value: »…«. */
export function quoteDa(value: string): string {
  return `»${quotable(value)}«`;
}

function quotable(value: string): string {
  let text = maskCpr(value);
  if (text.length > MAX_QUOTED) text = `${text.slice(0, MAX_QUOTED)}…`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what gets escaped here.
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** A value of any type as a short English phrase: "'abc'", "the number 5", "a list", "nothing". */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") return value === "" ? "an empty text ''" : quote(value);
  if (typeof value === "number") {
    return numberLooksLikeCpr(value) ? "a number (not shown)" : `the number ${maskCpr(String(value))}`;
  }
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value}`;
}

/** Sorted by position (then path) so a reader can fix a file top to bottom; exact duplicates dropped. */
export function sortErrors(errors: readonly LocatedError[]): LocatedError[] {
  const seen = new Set<string>();
  const unique: LocatedError[] = [];
  for (const e of errors) {
    const key = `${e.file}\u0000${e.line}\u0000${e.column}\u0000${e.path}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(e);
  }
  return unique.sort(
    (a, b) =>
      a.line - b.line ||
      a.column - b.column ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/**
 * Optimal-string-alignment distance: Levenshtein plus adjacent transpositions, the most common
 * typo in hand-written ids ("adoptoin" is one edit from "adoption", not two).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The candidate a typo most likely meant, or undefined when nothing is close enough to be a typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  // Very short words tolerate one edit, others two or about a third of their length ("dew" is
  // two edits from "due"): beyond that a suggestion is a guess that misleads more than it helps.
  const limit = word.length <= 2 ? 1 : Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * "unknown <what> 'x'; did you mean 'y'? <label>: a, b, c": what is wrong, the likely fix, and
 * everything that is allowed.
 */
export function unknownName(
  what: string,
  name: string,
  allowed: readonly string[],
  label = "allowed",
): string {
  const suggestion = closest(name, allowed);
  const hint = suggestion === undefined ? ";" : `; did you mean ${quote(suggestion)}?`;
  return `unknown ${what} ${quote(name)}${hint} ${label}: ${listNames(allowed)}`;
}

/** A list of allowed names for a message: "a, b, c" or "(none)". */
export function listNames(names: readonly string[]): string {
  return names.length === 0 ? "(none)" : names.join(", ");
}

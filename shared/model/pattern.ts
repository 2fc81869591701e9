/**
 * Parameter patterns on a linear-time engine. A definition's `pattern` is written by an
 * administrator and tested against values typed by anyone; JavaScript's backtracking engine can
 * take exponential time (`(a+)+` against 30 characters holds the process for seconds), RE2 never
 * does: its time is linear in the value. RE2 has no backreferences or lookaround, so a pattern
 * that needs them is refused when the definition is saved, with the reason. One idiom is kept,
 * because the shipped templates use it: leading "contains" lookaheads, `^(?=.*[A-Za-z])rest$`,
 * checked as separate RE2 searches (each linear) before `rest` is matched in full.
 */
import { RE2JS } from "re2js";

/** Longer than any sensible pattern; bounds the compile time of what an upload may ask for. */
export const MAX_PATTERN_LENGTH = 500;

export type CompiledPattern = { ok: true; matches: (value: string) => boolean } | { ok: false; why: string };

/** Compiled patterns by source: a definition's patterns are checked on every start. */
const cache = new Map<string, CompiledPattern>();

/** The pattern, matched against a whole value (anchored at both ends), or why it cannot be used. */
export function compilePattern(pattern: string): CompiledPattern {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  const compiled = compile(pattern);
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

/** `(?=.*X)` at the start of a pattern, X without parentheses of its own. */
const LEADING_CONTAINS = /^\(\?=\.\*([^()]*)\)/;

/** The leading "contains" lookaheads of `^(?=.*A)(?=.*B)rest` split off: [A, B] and `^rest`. */
function splitLookaheads(pattern: string): { contains: string[]; rest: string } {
  if (!pattern.startsWith("^")) return { contains: [], rest: pattern };
  let rest = pattern.slice(1);
  const contains: string[] = [];
  for (let m = LEADING_CONTAINS.exec(rest); m !== null; m = LEADING_CONTAINS.exec(rest)) {
    contains.push(m[1] ?? "");
    rest = rest.slice(m[0].length);
  }
  return { contains, rest: `^${rest}` };
}

function compile(pattern: string): CompiledPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return {
      ok: false,
      why: `it is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`,
    };
  }
  try {
    const { contains, rest } = splitLookaheads(pattern);
    const whole = RE2JS.compile(rest);
    const parts = contains.map((part) => RE2JS.compile(part));
    return {
      ok: true,
      // `.*` in a lookahead stops at a line break, as it does in JavaScript.
      matches: (value) =>
        parts.every((part) => part.matcher(value.split("\n", 1)[0] ?? "").find()) && whole.matches(value),
    };
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/: `[^`]*`$/, "") : "invalid";
    return {
      ok: false,
      why: `${why}; patterns use RE2 syntax, which has no backreferences (\\1) or lookaround ((?=…), (?<=…))`,
    };
  }
}

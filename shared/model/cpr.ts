/**
 * Detection of Danish civil registration numbers (CPR, DDMMYY-SSSS). fristflow stores case
 * references, never CPR numbers (child-welfare data is GDPR art. 9 data), so every text that
 * enters (definition sources with their comments, titles, parameters, names, CSV rows, reasons)
 * goes through this one detector, and is refused when it holds one.
 *
 * The detector reads the text as a person sees it (cpr-normalise.ts: NFKC, every dash and minus
 * sign, any decimal digit, zero-width characters and soft hyphens gone) and accepts the ways
 * people write one: `010203-1234`, `010203 1234`, `010203/1234`, `01.02.03-1234`, odd runs of
 * spaces, tabs or a line break (a number split across a folded YAML line).
 *
 * False positives are kept low by requiring a date that exists (DDMMYY in the 1900s or 2000s)
 * and exactly four digits after it, not inside a longer run of digits. Deliberately no
 * modulus-11 check: numbers issued since 2007 need not pass it, and a false refusal ("use a
 * case reference instead") costs far less than storing a real CPR number.
 */
import { isRealDate } from "../time/calendar.ts";
import { normaliseForCpr } from "./cpr-normalise.ts";

/** What may stand between the parts: dashes, slashes, dots and whitespace, in short runs. */
const SEP = "[-/.\\s]{0,40}";

/**
 * DD, MM, YY (each two digits, optionally separated), a separator, four digits; not part of a
 * longer run of digits. The runs are bounded and never overlap the digits, so matching is linear.
 */
const CANDIDATE = new RegExp(`(?<!\\d)(\\d{2})${SEP}(\\d{2})${SEP}(\\d{2})${SEP}\\d{4}(?!\\d)`, "g");

/** Whether DDMMYY is a date in the 1900s or the 2000s (the 7th digit fixes the century; we need not). */
function isBirthDate(dd: string, mm: string, yy: string): boolean {
  return isRealDate(`19${yy}-${mm}-${dd}`) || isRealDate(`20${yy}-${mm}-${dd}`);
}

/** Where a CPR-looking part sits in the text as given: `start` inclusive, `end` exclusive. */
export interface CprHit {
  start: number;
  end: number;
}

function* hitsIn(text: string): Generator<{ index: number; length: number }> {
  const pattern = new RegExp(CANDIDATE.source, "g");
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const [whole, dd, mm, yy] = m;
    if (dd !== undefined && mm !== undefined && yy !== undefined && isBirthDate(dd, mm, yy)) {
      yield { index: m.index, length: whole.length };
    } else {
      // Not a date: the next candidate may start inside this one ("99 010203-1234").
      pattern.lastIndex = m.index + 1;
    }
  }
}

/** Every CPR-looking part of the text, located in the text as given (before normalisation). */
export function findCpr(value: string): CprHit[] {
  // Locating is slower than detecting; almost every text has nothing to locate.
  if (!looksLikeCpr(value)) return [];
  const { text, origin } = normaliseForCpr(value, true);
  const out: CprHit[] = [];
  for (const { index, length } of hitsIn(text)) {
    const start = origin?.[index] ?? index;
    const next = index + length;
    const end = next < text.length ? (origin?.[next] ?? next) : value.length;
    out.push({ start, end });
  }
  return out;
}

/** True when the text is, or contains, something shaped like a CPR number whose date exists. */
export function looksLikeCpr(value: string): boolean {
  return !hitsIn(normaliseForCpr(value).text).next().done;
}

/**
 * YAML and JSON read `0102031234` as the number 102031234, losing the leading zero; such a
 * number is still a CPR number typed by someone, so it is checked with the zero put back.
 */
export function numberLooksLikeCpr(value: number): boolean {
  if (!Number.isSafeInteger(value) || value < 0) return false;
  const digits = String(value);
  return (digits.length === 9 || digits.length === 10) && looksLikeCpr(digits.padStart(10, "0"));
}

/** The text with every CPR-looking part replaced, so messages and logs never repeat one. */
export function maskCpr(value: string): string {
  const hits = findCpr(value);
  if (hits.length === 0) return value;
  let out = "";
  let from = 0;
  for (const { start, end } of hits) {
    out += `${value.slice(from, start)}XXXXXX-XXXX`;
    from = end;
  }
  return out + value.slice(from);
}

/** The message for a refused value; shared so the CLI, the API and the loader all say the same. */
export const CPR_MESSAGE =
  "looks like a CPR number; fristflow stores no CPR numbers (personal identity numbers): use a case reference instead";

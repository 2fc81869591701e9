/**
 * Detection of Danish civil registration numbers (CPR, DDMMYY-SSSS). fristflow stores case
 * references, never CPR numbers (child-welfare data is GDPR art. 9 data), so every text an
 * administrator or caseworker types in is checked, and refused when it looks like one.
 *
 * Deliberately no modulus-11 check: numbers issued since 2007 need not pass it, and a false
 * refusal ("use a case reference instead") costs far less than storing a real CPR number.
 */
import { isRealDate } from "../time/calendar.ts";

/**
 * Six digits, an optional separator (hyphen, en dash from word processors, space, no-break
 * space), four digits; not part of a longer run of digits, so "2024-0012345" or a 12-digit
 * account number do not match, while "Sag 010203-1234" does.
 */
const CANDIDATE = /(?<!\d)(\d{2})(\d{2})(\d{2})[-\u2013 \u00a0]?\d{4}(?!\d)/g;

/** Whether DDMMYY is a date in the 1900s or the 2000s (the 7th digit fixes the century; we need not). */
function isBirthDate(dd: string, mm: string, yy: string): boolean {
  return isRealDate(`19${yy}-${mm}-${dd}`) || isRealDate(`20${yy}-${mm}-${dd}`);
}

function* cprMatches(value: string): Generator<{ index: number; length: number }> {
  for (const m of value.matchAll(CANDIDATE)) {
    const [whole, dd, mm, yy] = m;
    if (dd !== undefined && mm !== undefined && yy !== undefined && isBirthDate(dd, mm, yy)) {
      yield { index: m.index, length: whole.length };
    }
  }
}

/** True when the text is, or contains, something shaped like a CPR number whose date exists. */
export function looksLikeCpr(value: string): boolean {
  return !cprMatches(value).next().done;
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
  let out = "";
  let from = 0;
  for (const { index, length } of cprMatches(value)) {
    out += `${value.slice(from, index)}XXXXXX-XXXX`;
    from = index + length;
  }
  return from === 0 ? value : out + value.slice(from);
}

/** The message for a refused value; shared so the CLI, the API and the loader all say the same. */
export const CPR_MESSAGE =
  "looks like a CPR number; fristflow stores no CPR numbers (personal identity numbers): use a case reference instead";

/**
 * The text the CPR detector reads: what a person sees, not how it was typed. NFKC folds
 * full-width and mathematical digits and odd spaces; every dash and minus sign becomes `-`; any
 * Unicode decimal digit (Arabic-Indic, Devanagari, …) becomes its ASCII digit; zero-width
 * characters and the soft hyphen disappear. Each character of the result remembers where it came
 * from, so a hit can be located (line and column) and masked in the original.
 */

/** Removed: zero-width space, non-joiner, joiner, word joiner, BOM/ZWNBSP, soft hyphen. */
const INVISIBLE = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad]);

/** Hyphens, dashes and minus signs (after NFKC, which already maps U+2011 to U+2010 and U+FF0D to -). */
const DASHES = new Set([
  0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63, 0xff0d, 0x2043, 0x02d7,
]);

const DECIMAL_DIGIT = /^\p{Nd}$/u;

/** Text that needs no work: printable ASCII and the usual whitespace. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is exactly the fast path.
const PLAIN_ASCII = /^[\u0000-\u007f]*$/;

export interface Normalised {
  text: string;
  /** `origin[i]` is the index in the original of the character `text[i]` came from. */
  origin: number[] | null;
}

/** The ASCII digit of a Unicode decimal digit: digits are encoded in runs of ten, 0 to 9. */
function digitValue(codePoint: number): string {
  let start = codePoint;
  while (start > 0 && codePoint - start < 100 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return String((codePoint - start) % 10);
}

function mapChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (DASHES.has(code)) return "-";
  if (code > 0x7f && DECIMAL_DIGIT.test(char)) return digitValue(code);
  return char;
}

/** One non-ASCII character (a code point) as the detector reads it: "" when it is invisible. */
function foldChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (INVISIBLE.has(code)) return "";
  let out = "";
  for (const folded of char.normalize("NFKC")) {
    if (!INVISIBLE.has(folded.codePointAt(0) ?? 0)) out += mapChar(folded);
  }
  return out;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: runs of non-ASCII are what gets folded.
const NON_ASCII = /[^\u0000-\u007f]+/g;

/** The normalised text; `withOrigin` also records where each character came from (for locating hits). */
export function normaliseForCpr(source: string, withOrigin = false): Normalised {
  if (PLAIN_ASCII.test(source)) {
    return { text: source, origin: withOrigin ? Array.from({ length: source.length }, (_, i) => i) : null };
  }
  if (!withOrigin) {
    // ASCII runs are copied as they are; only the (few) other characters are looked at.
    const text = source.replace(NON_ASCII, (run) => {
      let out = "";
      for (const char of run) out += foldChar(char);
      return out;
    });
    return { text, origin: null };
  }
  const parts: string[] = [];
  const origin: number[] = [];
  let i = 0;
  for (const char of source) {
    const folded = char.length === 1 && char.charCodeAt(0) < 0x80 ? char : foldChar(char);
    parts.push(folded);
    // A folded character may be several UTF-16 units (or none); each points at its source.
    for (let k = 0; k < folded.length; k++) origin.push(i);
    i += char.length;
  }
  return { text: parts.join(""), origin };
}

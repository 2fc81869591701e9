/**
 * What ical-generator leaves to its caller. It escapes SUMMARY, DESCRIPTION and the like, but
 * writes a calendar's NAME and X-WR-CALNAME and the PRODID parts as given: a workflow title with
 * a line break would end the property and start a new one (an injected event in every
 * subscriber's calendar). RFC 5545 3.3.11 TEXT: backslash, semicolon and comma are escaped, a
 * line break becomes `\n`; other control characters have no place in a name and become spaces.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\u2028\u2029]/g;
const LINE_BREAK = /\r\n|\r|\n/g;

/** A value for a TEXT property that the library writes unescaped (NAME, X-WR-CALNAME). */
export function icsText(value: string): string {
  return value
    .replace(CONTROL, " ")
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(LINE_BREAK, "\\n");
}

/**
 * A PRODID part (`-//company//product//LANG`): one line, and no `//` that would shift the parts.
 * Not escaped (PRODID is read by programs, not shown), only made unable to break the structure.
 */
export function icsProdIdPart(value: string): string {
  return value.replace(LINE_BREAK, " ").replace(CONTROL, " ").replace(/\//g, "-").trim() || "fristflow";
}

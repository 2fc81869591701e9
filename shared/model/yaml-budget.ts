/**
 * A cheap bound on how much work a YAML document is, counted on the text before it is parsed:
 * the parser spends its time per node (about 30 µs each on a busy machine), so 50,000 short keys
 * in 488 KB would hold the process for seconds while a 500 KB description parses at once.
 *
 * Entries are approximated without parsing: a `:` that ends a key, a `-` that starts a list
 * item, a comma, an opening bracket or brace (so `[[[[…` counts its depth). Prose in a description counts its colons and commas too; that overcounts a
 * little, and the bound (far above any real definition) leaves room for it.
 */

/** A key's colon (followed by a space, a line break or the end), a list item's dash, a comma, `[` or `{`. */
const ENTRY = /:(?=[ \t\r\n]|$)|^[ \t]*-(?=[ \t\r\n]|$)|[,[{]/gm;

/** Whether the text has more than `max` entries, and where the first entry over the bound is. */
export function countEntries(text: string, max: number): { over: boolean; offset: number } {
  ENTRY.lastIndex = 0;
  let count = 0;
  for (let m = ENTRY.exec(text); m !== null; m = ENTRY.exec(text)) {
    count++;
    if (count > max) return { over: true, offset: m.index };
  }
  return { over: false, offset: 0 };
}

/** The decoded Subject of a raw MIME message, for the local outbox's listing. */
import { simpleParser } from "mailparser";

/**
 * Only the header block is parsed: the subject is all the listing needs, and parsing the body
 * too (HTML, text and the calendar attachment) cost every mail the local stack sends several
 * times as much. mailparser still decodes the header (encoded words, folded lines).
 */
export async function subjectOf(raw: string): Promise<string> {
  const end = /\r?\n\r?\n/.exec(raw);
  const header = end === null ? raw : raw.slice(0, end.index + end[0].length);
  return (await simpleParser(header)).subject ?? "";
}

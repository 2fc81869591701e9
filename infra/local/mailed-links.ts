/** Finding the confirm link in a mail from the outbox, as a leader's mail client would show it. */

/** The first confirm link in a raw MIME message, or null. */
export function confirmUrlIn(raw: string): string | null {
  // Quoted-printable may break long lines with "=\r\n"; the link is in the text part.
  const text = raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  return text.match(/https?:\/\/[^\s"<>]+\/confirm\/[A-Za-z0-9_-]+\?sig=[A-Za-z0-9_-]+/)?.[0] ?? null;
}

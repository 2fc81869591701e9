/**
 * Bad-input cases: odd ids (too long for a store key, NUL, CR LF, dots, markup) where a route
 * takes an id or a key: confirm links, calendar feeds and the dashboard's outbox (a mail, its attachments).
 */
import { app, type BadCase, plain } from "./support.ts";
import { ODD_IDS } from "./tables.ts";

export function linkAndFeedCases(): BadCase[] {
  const cases: BadCase[] = [];
  const ids = ODD_IDS;
  for (const [what, id] of ids) {
    cases.push(
      {
        name: `confirm link id with ${what}`,
        send: () => plain(`/confirm/${id}?sig=${"A".repeat(43)}`),
        status: [403, 404],
      },
      {
        name: `confirm link signature with ${what}`,
        send: () => plain(`/confirm/abc?sig=${id}`),
        status: [403, 404],
      },
      {
        name: `calendar feed for an instance id with ${what}`,
        send: () => plain(`/instances/${id}/deadlines.ics?key=x`),
        status: [403, 404],
      },
      {
        name: `calendar feed with a key of ${what}`,
        send: () => plain(`/instances/${app().runningId}/deadlines.ics?key=${id}`),
        status: [403, 404],
      },
    );
  }
  // The outbox is read with GET; a dashboard GET with the session.
  for (const [what, id] of ids) {
    cases.push({
      name: `outbox page for an id with ${what}`,
      send: async () => {
        const page = await app().admin.get(`/outbox/${id}`);
        return { status: page.status, text: page.text };
      },
      status: [404],
    });
    // A mail's attachment: the mail's id and the attachment's number are both checked.
    cases.push(
      {
        name: `outbox attachment of a mail id with ${what}`,
        send: async () => {
          const page = await app().admin.get(`/outbox/${id}/attachments/1`);
          return { status: page.status, text: page.text };
        },
        status: [404],
      },
      {
        name: `outbox attachment number with ${what}`,
        send: async () => {
          const page = await app().admin.get(`/outbox/abc/attachments/${id}`);
          return { status: page.status, text: page.text };
        },
        status: [404],
      },
    );
  }
  return cases;
}

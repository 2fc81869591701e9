/**
 * Grants and visibility over real HTTP (DynamoDB Local), logged in through the embedded OpenID
 * provider: what a bad grant form, an ungranted start and another's calendar feed answer, and that
 * nothing is written when they are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInstance } from "../../shared/app/admin.ts";
import { userAuditId } from "../../shared/store/ports.ts";
import { Client, loginThroughProvider } from "../dashboard/client.ts";
import {
  ADMIN_TOKEN,
  type Harness,
  instanceWithLinks,
  startHarness,
  TEST_USERS,
  UNITS,
} from "../http/harness.ts";

let h: Harness;
const anna = () => TEST_USERS.find((u) => u.id === "anna");
const sara = () => TEST_USERS.find((u) => u.id === "sara");
let otherInstance: string;

async function loggedIn(who: { email: string; password: string } | undefined): Promise<Client> {
  if (who === undefined) throw new Error("no such test user");
  const client = new Client(h);
  await loginThroughProvider(client, h.url, who.email, who.password);
  await client.get("/"); // its forms' CSRF token
  return client;
}

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z", { people: true });
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  ({ instanceId: otherInstance } = await instanceWithLinks(h));
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe("grants and visibility over HTTP", () => {
  it("a grant of a workflow that does not exist is refused with the form again (400), and nothing changes", async () => {
    const admin = await loggedIn(anna());
    const before = await h.snapshot();
    const page = await admin.post("/users/sara/grants", { grants: ["skoleopfoelgning", "findes-ikke"] });
    expect(page.status).toBe(400);
    expect(page.text).toContain("En af de valgte skabeloner findes ikke");
    expect(await h.snapshot()).toEqual(before);
    expect(await h.table.stores.audit.list(userAuditId("sara"))).toEqual([]);
  });

  it("a caseworker without a grant is refused the start (403, saying why), and no instance is written", async () => {
    const caseworker = await loggedIn(sara());
    const before = (await h.table.stores.instances.list()).length;
    const chooser = await caseworker.get("/instances/_new");
    expect(chooser.text).toContain("Du har endnu ikke adgang til at starte forløb");
    const page = await caseworker.post("/instances/_new", { workflowId: "skoleopfoelgning", version: "1" });
    expect(page.status).toBe(403);
    expect(page.text).toContain("Ingen adgang til skabelonen");
    expect((await h.table.stores.instances.list()).length).toBe(before);
  });

  it("the calendar feed with a session follows the page: a caseworker's own instance, not another's", async () => {
    const caseworker = await loggedIn(sara());
    const { id: own } = await startInstance(
      { ...h.table.stores, clock: h.clock, starter: { start: async () => undefined } },
      { workflowId: "skoleopfoelgning", start: "2024-05-01" },
      { by: "user:sara (Sara Sagsbehandler)" },
    );
    const ownFeed = await caseworker.get(`/instances/${own}/deadlines.ics`);
    expect(ownFeed.status).toBe(200);
    expect(ownFeed.text).toContain("BEGIN:VCALENDAR");
    const otherFeed = await caseworker.get(`/instances/${otherInstance}/deadlines.ics`);
    expect(otherFeed.status).toBe(404);
    expect(otherFeed.text).not.toContain("BEGIN:VCALENDAR");
    // The API's admin token is an administrator: it sees both.
    const listed = await fetch(`${h.url}/api/instances`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const ids = ((await listed.json()) as { instances: { instanceId: string }[] }).instances.map(
      (i) => i.instanceId,
    );
    expect(ids).toEqual(expect.arrayContaining([own, otherInstance]));
  });
});

/**
 * The notice page (issue 11; real HTTP, DynamoDB Local, logged in through the embedded OpenID
 * provider): the caseworker named in a case gives the expected date, a refused date changes
 * nothing and says why, the preview shows the composed mail, and approving twice sends one mail.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWorkflow } from "../../shared/model/load.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createOutbox, type Outbox, uniqueId } from "../app/fixtures.ts";
import { type Harness, startHarness, TEST_USERS } from "../http/harness.ts";
import { Client, loginThroughProvider, visibleText } from "./client.ts";

const APPLICANT = "borger@example.dk";
const OCC = "afgoerelse/-/0";
let h: Harness;
let outbox: Outbox;
let sara: Client;

async function logIn(id: string): Promise<Client> {
  const person = TEST_USERS.find((u) => u.id === id);
  if (person === undefined) throw new Error(`no ${id}`);
  const client = new Client(h);
  await loginThroughProvider(client, h.url, person.email, person.password);
  await client.get("/");
  return client;
}

async function startCase(caseworker: string): Promise<string> {
  const source = await readFile(new URL("../../workflows/ansoegningsfrist.yaml", import.meta.url), "utf8");
  const loaded = loadWorkflow(source, "ansoegningsfrist.yaml");
  if (!loaded.ok) throw new Error("the template does not load");
  const workflowId = uniqueId("ans");
  await h.table.stores.workflows.putVersion({
    workflowId,
    source: "test",
    definition: { ...loaded.value, id: workflowId },
    createdBy: "admin",
  });
  const instanceId = uniqueId("sag");
  await h.table.stores.instances.create({
    instanceId,
    workflowId,
    workflowVersion: 1,
    startAt: "2024-09-01T22:00:00Z",
    params: {
      caseRef: "SAG-2024-117",
      caseworker,
      teamleader: "tl@kommune.example.dk",
      applicant: APPLICANT,
    },
    units: [],
    createdBy: "admin",
  });
  return instanceId;
}

const pageOf = (id: string) =>
  `/instances/${id}/notice?${new URLSearchParams({ occurrence: OCC, notice: "0" })}`;

beforeAll(async () => {
  outbox = await createOutbox(new ManualClock("2024-10-23T07:00:00Z"));
  h = await startHarness("2024-10-23T07:00:00Z", { people: true, mailTransport: outbox.transport });
  sara = await logIn("sara");
});
afterAll(async () => {
  await h.close();
  await outbox.remove();
});

describe("the notice page", () => {
  it("is shown to the caseworker named in the case, and to no other caseworker", async () => {
    const mine = await startCase("sara@kommune.example.dk");
    const other = await startCase("someone@kommune.example.dk");
    const page = await sara.get(pageOf(mine));
    expect(page.status).toBe(200);
    expect(visibleText(page.text)).toContain("Fristen for afgørelsen er 28. oktober 2024.");
    expect((await sara.get(pageOf(other))).status).toBe(404);
  });

  it("is offered from the instance page beside the milestone, as well as from the caseworker's mail", async () => {
    // Prepare
    const mine = await startCase("sara@kommune.example.dk");
    // Act
    const page = await sara.get(`/instances/${mine}`);
    // Assess
    expect(page.status).toBe(200);
    const href = pageOf(mine).replace(/&/g, "&amp;");
    expect(page.text).toMatch(
      new RegExp(
        `<a class="button secondary" href="${href.replace(/[?.]/g, "\\$&")}">Orientér ansøgeren om »[^«]+«</a>`,
      ),
    );
  });

  it("refuses a date in the past or an invalid date with a clear message and changes nothing", async () => {
    const id = await startCase("sara@kommune.example.dk");
    const base = { occurrence: OCC, notice: "0", step: "preview" };
    const before = await h.snapshot();
    const past = await sara.post(`/instances/${id}/notice`, { ...base, expectedDate: "2024-10-01" });
    expect(past.status).toBe(400);
    expect(visibleText(past.text)).toContain("Datoen ligger før i dag.");
    // Said the way every form says a field's error (red and bold), tied to the field.
    expect(past.text).toMatch(
      /<p class="field-error" id="expectedDate-error"[^>]*>Datoen ligger før i dag\./,
    );
    const invalid = await sara.post(`/instances/${id}/notice`, { ...base, expectedDate: "2024-02-30" });
    expect(invalid.status).toBe(400);
    expect(visibleText(invalid.text)).toContain("Skriv datoen som en gyldig dato");
    const approvePast = await sara.post(`/instances/${id}/notice`, {
      ...base,
      step: "approve",
      expectedDate: "2024-10-01",
    });
    expect(approvePast.status).toBe(400);
    expect(await h.snapshot()).toEqual(before);
    expect(await outbox.mails()).toHaveLength(0);
  });

  it("previews the composed mail, and approving twice sends exactly one mail to the applicant", async () => {
    const id = await startCase("sara@kommune.example.dk");
    const base = { occurrence: OCC, notice: "0", expectedDate: "2024-11-15" };
    const before = await h.snapshot();
    const preview = await sara.post(`/instances/${id}/notice`, { ...base, step: "preview" });
    expect(preview.status).toBe(200);
    const text = visibleText(preview.text);
    expect(text).toContain("Du kan forvente en afgørelse senest 15. november 2024.");
    expect(text).toContain(`Sendes til: ${APPLICANT}`);
    expect(text).toContain("Sara Sagsbehandler");
    expect(await h.snapshot()).toEqual(before);

    const first = await sara.post(`/instances/${id}/notice`, { ...base, step: "approve" });
    const second = await sara.post(`/instances/${id}/notice`, { ...base, step: "approve" });
    expect(visibleText(first.text)).toContain("Beskeden er sendt til ansøgeren");
    expect(visibleText(second.text)).toContain("allerede sendt");
    const mails = (await outbox.mails()).filter((m) => m.text?.includes("SAG-2024-117"));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toMatchObject({ value: [{ address: APPLICANT }] });
    expect(mails[0]?.replyTo?.value[0]?.address).toBe("sara@kommune.example.dk");
    const audit = await h.table.stores.audit.list(id);
    expect(audit.filter((e) => e.action === "notice.approved")).toHaveLength(1);
    expect(audit.find((e) => e.action === "notice.approved")?.by).toContain("sara");
  });
});

/**
 * What a staff mail says about whom (issue 11): the instance's name and case reference in the
 * subject, the body and the .ics; a greeting by the directory's or the users' name; the
 * municipality's configured reply address; and an escalation that names who has not confirmed.
 * Real MIME through the file outbox, parsed back.
 */
import { readFile } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { runNotify } from "../../shared/app/notify.ts";
import { loadWorkflow } from "../../shared/model/load.ts";
import type { Workflow } from "../../shared/model/schema.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import {
  calendarEvents,
  createOutbox,
  execution,
  fixedLinkKey,
  LEADER,
  MANAGER,
  notifyDeps,
  type Outbox,
  SETTINGS,
  seedInstance,
  uniqueId,
} from "./fixtures.ts";

const clock = new ManualClock("2024-10-14T07:00:00Z");
const linkKey = fixedLinkKey();
const REPLY_TO = "borgerservice@ishoj.example";
const CASEWORKER = { name: "Hanne Jensen", email: "hanne.jensen@ishoj.example" };
const TEAMLEADER = "teamleder@ishoj.example";
let table: MemoryTestTable;
let outbox: Outbox;
let ansoegning: Workflow;

beforeAll(async () => {
  table = await createMemoryTable({ clock });
  const source = await readFile(new URL("../../workflows/ansoegningsfrist.yaml", import.meta.url), "utf8");
  const loaded = loadWorkflow(source, "ansoegningsfrist.yaml");
  if (!loaded.ok) throw new Error("the template does not load");
  ansoegning = loaded.value;
  await table.stores.users.create({
    userId: "hanne",
    name: CASEWORKER.name,
    email: CASEWORKER.email,
    roles: ["caseworker"],
    active: true,
    updatedBy: "test",
  });
});
afterAll(async () => {
  await table.drop();
});
beforeEach(async () => {
  outbox = await createOutbox(clock);
});
afterEach(async () => {
  await outbox.remove();
});

/** An ansøgningsfrist case started 2 September 2024 (decision due 28 October), optionally named. */
async function startCase(name?: string): Promise<string> {
  const workflowId = uniqueId("ans");
  await table.stores.workflows.putVersion({
    workflowId,
    source: "test",
    definition: { ...ansoegning, id: workflowId },
    createdBy: "admin",
  });
  const instanceId = uniqueId("sag");
  await table.stores.instances.create({
    instanceId,
    workflowId,
    workflowVersion: 1,
    startAt: "2024-09-01T22:00:00Z",
    params: {
      caseRef: "SAG-2024-117",
      caseworker: CASEWORKER.email,
      teamleader: TEAMLEADER,
      applicant: "borger@example.dk",
    },
    units: [],
    createdBy: "admin",
    ...(name === undefined ? {} : { name }),
  });
  return instanceId;
}

async function sendDue(instanceId: string, kind: string, replyTo?: string) {
  const { decision } = await runDecide({ ...table.stores, clock }, { instanceId, execution: execution() });
  const notifications = decision.notifications.filter((n) => n.kind === kind);
  expect(notifications).toHaveLength(1);
  const settings = replyTo === undefined ? SETTINGS : { ...SETTINGS, replyTo };
  await runNotify(notifyDeps(table.stores, clock, outbox.transport, linkKey, { settings }), {
    instanceId,
    notifications,
  });
  const mails = await outbox.mails();
  expect(mails).toHaveLength(1);
  const [mail] = mails;
  if (mail === undefined) throw new Error("unreachable");
  return mail;
}

describe("what a caseworker's mail says", () => {
  it("names the case reference in the subject, the body and the calendar, greets by the user's name and replies to the configured contact", async () => {
    // Prepare: 14 days before the decision is due
    clock.set("2024-10-14T07:00:00Z");
    const instanceId = await startCase();
    // Act
    const mail = await sendDue(instanceId, "reminder", REPLY_TO);
    // Assess
    expect(mail.to).toMatchObject({ value: [{ address: CASEWORKER.email }] });
    expect(mail.subject).toBe("Påmindelse: Afgørelse på ansøgningen – SAG-2024-117 – frist 28.10.2024");
    expect(mail.text).toContain(`Kære ${CASEWORKER.name},`);
    expect(mail.text).toContain("Forløb: SAG-2024-117");
    expect(mail.html).toContain("Forløb: SAG-2024-117");
    expect(mail.replyTo?.value).toEqual([{ name: SETTINGS.organisation, address: REPLY_TO }]);
    expect(mail.text).toContain("svare direkte");
    expect(calendarEvents(mail)[0]?.summary).toBe("Afgørelse på ansøgningen – SAG-2024-117");
    // Never the citizen's address in a mail to staff
    expect(mail.text).not.toContain("borger@example.dk");
    expect(mail.html).not.toContain("borger@example.dk");
  });

  it("carries a given name and the case reference beside it", async () => {
    // Prepare
    clock.set("2024-10-14T07:00:00Z");
    const instanceId = await startCase("Hjælpemiddel, Vejleåskolen");
    // Act
    const mail = await sendDue(instanceId, "reminder");
    // Assess
    expect(mail.subject).toBe(
      "Påmindelse: Afgørelse på ansøgningen – Hjælpemiddel, Vejleåskolen (Sagsnummer: SAG-2024-117) – frist 28.10.2024",
    );
    expect(mail.text).toContain("Forløb: Hjælpemiddel, Vejleåskolen\nSagsnummer: SAG-2024-117");
    expect(mail.replyTo).toBeUndefined();
  });

  it("greets neutrally, never by the address, when nobody knows the name", async () => {
    // Prepare: the team leader is no user; the escalation goes to them a day after the deadline
    clock.set("2024-10-29T07:00:00Z");
    const instanceId = await startCase();
    // Act
    const mail = await sendDue(instanceId, "escalation");
    // Assess
    expect(mail.to).toMatchObject({ value: [{ address: TEAMLEADER }] });
    expect(mail.text?.split("\n")).toContain("Hej,");
    expect(mail.text).not.toContain(`Kære ${TEAMLEADER}`);
    // The escalation names who has not confirmed: the caseworker, by the users' name
    expect(mail.text).toContain(
      `Milepælen mangler at blive bekræftet af ${CASEWORKER.name} (${CASEWORKER.email}).`,
    );
    expect(mail.subject).toContain("SAG-2024-117");
  });
});

describe("what a leader's and a manager's mail says", () => {
  it("greets the leader by the directory's name", async () => {
    // Prepare
    clock.set("2024-10-28T07:00:00Z");
    const seeded = await seedInstance(table.stores);
    // Act
    const mail = await sendDue(seeded.instanceId, "reminder", REPLY_TO);
    // Assess
    expect(mail.text).toContain(`Kære ${LEADER.name},`);
    expect(mail.replyTo?.value[0]?.address).toBe(REPLY_TO);
  });

  it("an escalation names the unit and the leader who has not confirmed", async () => {
    // Prepare: a day after the deadline, nobody confirmed
    clock.set("2024-11-01T07:00:00Z");
    const seeded = await seedInstance(table.stores);
    // Act
    const mail = await sendDue(seeded.instanceId, "escalation", REPLY_TO);
    // Assess
    expect(mail.to).toMatchObject({ value: [{ address: MANAGER.email }] });
    expect(mail.text).toContain(`Kære ${MANAGER.name},`);
    const who = `Milepælen mangler at blive bekræftet af ${LEADER.name} (${LEADER.email}), leder af Vejleåskolen.`;
    expect(mail.text).toContain(who);
    expect(mail.html).toContain(`leder af Vejleåskolen.`);
  });
});

/**
 * The notice to an applicant (issue 11): at the notice's time the caseworker gets a mail with a
 * link to give the expected date; the applicant's mail is composed from that date, previewed, and
 * sent once, only when approved. Real MIME through the file outbox, parsed back; in-memory stores.
 */
import { readFile } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  approveCitizenNotice,
  checkExpectedDate,
  NoticeDateError,
  noticeCase,
  previewCitizenNotice,
} from "../../shared/app/citizen-notice.ts";
import { runDecide } from "../../shared/app/decide-step.ts";
import { runNotify } from "../../shared/app/notify.ts";
import { loadWorkflow } from "../../shared/model/load.ts";
import type { Workflow } from "../../shared/model/schema.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import {
  createOutbox,
  execution,
  fixedLinkKey,
  notifyDeps,
  type Outbox,
  SETTINGS,
  uniqueId,
} from "./fixtures.ts";

// The decision is due 28 October 2024; the notice (P5D before) falls on 23 October.
const NOTICE_AT = "2024-10-23T07:00:00Z";
const clock = new ManualClock(NOTICE_AT);
const CASEWORKER = { name: "Hanne Jensen", email: "hanne.jensen@ishoj.example" };
const APPLICANT = "borger@example.dk";
const OCC = "afgoerelse/-/0";
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
  clock.set(NOTICE_AT);
  outbox = await createOutbox(clock);
});
afterEach(async () => {
  await outbox.remove();
});

async function startCase(): Promise<string> {
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
      teamleader: "tl@ishoj.example",
      applicant: APPLICANT,
    },
    units: [],
    createdBy: "admin",
  });
  return instanceId;
}

const deps = () => ({ ...table.stores, clock, settings: SETTINGS, mailTransport: outbox.transport });

describe("the caseworker is asked for the date", () => {
  it("sends the notice's mail to the caseworker, with the link to the page and never the applicant's address", async () => {
    // Prepare
    const instanceId = await startCase();
    // Act
    const { decision } = await runDecide({ ...table.stores, clock }, { instanceId, execution: execution() });
    const notices = decision.notifications.filter((n) => n.kind === "notice");
    await runNotify(notifyDeps(table.stores, clock, outbox.transport, fixedLinkKey()), {
      instanceId,
      notifications: notices,
    });
    // Assess
    expect(notices).toHaveLength(1);
    expect(notices[0]?.recipient).toEqual({ kind: "param", name: "caseworker" });
    const mails = await outbox.mails();
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.to).toMatchObject({ value: [{ address: CASEWORKER.email }] });
    expect(mail?.subject).toContain("SAG-2024-117");
    expect(mail?.text).toContain(`Kære ${CASEWORKER.name},`);
    const link = `https://fristflow.ishoj.example/instances/${instanceId}/notice?occurrence=afgoerelse%2F-%2F0&notice=0`;
    expect(mail?.text).toContain(link);
    expect(mail?.html).toContain(link.replaceAll("&", "&amp;"));
    expect(mail?.text).not.toContain(APPLICANT);
  });
});

describe("the expected date", () => {
  it("refuses an invalid date, one in the past and one the deadline covers", () => {
    const problem = (raw: unknown) => {
      try {
        checkExpectedDate(raw, "2024-10-23", "2024-10-28");
        return "accepted";
      } catch (err) {
        return err instanceof NoticeDateError ? err.problem : "other";
      }
    };
    expect(problem("2024-02-30")).toBe("invalid");
    expect(problem("i morgen")).toBe("invalid");
    expect(problem(undefined)).toBe("invalid");
    expect(problem("2024-10-22")).toBe("past");
    expect(problem("2024-10-28")).toBe("not-after-deadline");
    expect(problem("2024-11-15")).toBe("accepted");
  });
});

describe("preview and approval", () => {
  it("previews the composed text without writing, then sends exactly one mail when approved twice", async () => {
    // Prepare
    const instanceId = await startCase();
    const c = await noticeCase(deps(), instanceId, OCC, "0");
    const audited = (await table.stores.audit.list(instanceId)).length;
    // Act 1: preview
    const preview = previewCitizenNotice(deps(), c, "2024-11-15");
    // Assess 1
    expect(preview.to).toBe(APPLICANT);
    expect(preview.text).toContain("Du kan forvente en afgørelse senest 15. november 2024.");
    expect(preview.text).toContain("28. oktober 2024");
    expect(preview.text).toContain(`Med venlig hilsen\n${CASEWORKER.name}\n${SETTINGS.organisation}`);
    expect(preview.text.split(CASEWORKER.email)).toHaveLength(2);
    expect(await outbox.mails()).toHaveLength(0);
    expect(await table.stores.audit.list(instanceId)).toHaveLength(audited);

    // Act 2: approved twice
    const by = "user:hanne (Hanne Jensen)";
    const first = await approveCitizenNotice(deps(), c, "2024-11-15", by);
    const second = await approveCitizenNotice(deps(), c, "2024-11-15", by);
    // Assess 2
    expect(first).toEqual({ status: "sent", expectedDate: "2024-11-15" });
    expect(second).toEqual({ status: "already-sent" });
    const mails = await outbox.mails();
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.to).toMatchObject({ value: [{ address: APPLICANT }] });
    expect(mail?.from?.value[0]).toEqual({
      name: `${CASEWORKER.name}, ${SETTINGS.organisation}`,
      address: SETTINGS.mailFrom,
    });
    expect(mail?.replyTo?.value).toEqual([{ name: CASEWORKER.name, address: CASEWORKER.email }]);
    expect(mail?.subject).toBe("Din sag SAG-2024-117: forventet afgørelse senest 15. november 2024");
    expect(mail?.text).not.toContain(instanceId);
    expect(mail?.text).not.toContain("afgoerelse");
    const approvals = (await table.stores.audit.list(instanceId)).filter(
      (e) => e.action === "notice.approved",
    );
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatchObject({ by, details: { expectedDate: "2024-11-15" } });
  });

  it("approving a refused date sends nothing and records nothing", async () => {
    const instanceId = await startCase();
    const c = await noticeCase(deps(), instanceId, OCC, "0");
    const audited = (await table.stores.audit.list(instanceId)).length;
    await expect(approveCitizenNotice(deps(), c, "2024-10-01", "user:hanne")).rejects.toBeInstanceOf(
      NoticeDateError,
    );
    expect(await outbox.mails()).toHaveLength(0);
    expect(await table.stores.audit.list(instanceId)).toHaveLength(audited);
  });
});

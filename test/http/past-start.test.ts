/**
 * Issue 11, a start date in the past, through the admin API over real HTTP and DynamoDB Local:
 * refused without a choice when it would mail at once (located, nothing written); the preview
 * (POST /api/instances/_preview) says what each choice sends at once and which deadlines have
 * passed; "history" sends nothing at once (the loop's step runs, the outbox stays empty) but what
 * falls due later; "catch-up" sends what the preview said, to the people it named.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStep } from "../../shared/app/step.ts";
import { loadWorkflow } from "../../shared/model/load.ts";
import { createOutbox, execution, fixedLinkKey, notifyDeps, type Outbox } from "../app/fixtures.ts";
import { ADMIN_TOKEN, type Harness, snapshot, startHarness, UNITS } from "./harness.ts";

/** Status reports per school due 15 April, the administration's plan due 20 May 2024. */
const YAML = `id: aarsplan
title: Årsplan
milestones:
  - id: status
    title: Statusrapport
    due: "2024-04-15"
    forEach: [skole]
    reminders: [P14D, P3D]
    escalation: { after: P1D, every: P7D, max: 3 }
  - id: plan
    title: Planen
    owner: unit:forvaltning
    due: "2024-05-20"
    reminders: [P30D, P14D]
    escalation: false
`;

/** Started on 1 March, registered on 1 May 2024 at 08:00 Copenhagen (the harness clock). */
const PAST_START = { workflowId: "aarsplan", start: "2024-03-01", units: ["skole-a", "forvaltning"] };

let h: Harness;
let outbox: Outbox;

beforeAll(async () => {
  h = await startHarness("2024-05-01T06:00:00Z");
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  const loaded = loadWorkflow(YAML, "aarsplan.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  await h.table.stores.workflows.putVersion({
    workflowId: "aarsplan",
    source: YAML,
    definition: loaded.value,
    createdBy: "test",
  });
  outbox = await createOutbox(h.clock);
});
afterAll(async () => {
  await outbox?.remove();
  await h?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by expect(), field by field.
type Json = any;

async function post(path: string, body: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Json };
}

/** One round of the instance loop's step, as the Lambda runs it, mailing into the test outbox. */
function step(instanceId: string, into: Outbox = outbox) {
  const deps = notifyDeps(h.table.stores, h.clock, into.transport, fixedLinkKey());
  return runStep(deps, { instanceId, execution: execution() });
}

async function mailsTo(into: Outbox): Promise<string[]> {
  return (await into.mails()).flatMap((m) =>
    (Array.isArray(m.to) ? m.to : m.to === undefined ? [] : [m.to]).flatMap((a) =>
      a.value.map((v) => v.address ?? ""),
    ),
  );
}

const sameMail = (m: { kind: string; occurrenceKey: string; recipient: string }) =>
  `${m.kind} ${m.occurrenceKey} ${m.recipient}`;

describe("a start date in the past through the API", () => {
  it("refuses a past start that would mail at once without a choice: 400 at `past`, nothing written", async () => {
    // Prepare
    const before = await snapshot(h.table);
    const starts = h.starts.length;
    // Act
    const refused = await post("/api/instances", PAST_START);
    const today = await post("/api/instances", { ...PAST_START, start: "2024-05-01", past: "history" });
    // Assess
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual([
      expect.objectContaining({
        path: "past",
        message: expect.stringMatching(/before today \(2024-05-01\) and would send 2 mails at once/),
      }),
    ]);
    expect(today.status).toBe(400);
    expect(today.json.errors).toEqual([
      expect.objectContaining({
        path: "past",
        message: expect.stringContaining("only to a start before today"),
      }),
    ]);
    expect(await snapshot(h.table)).toEqual(before);
    expect(h.starts.length).toBe(starts);
  });

  it("previews what each choice sends at once and which deadlines have passed, writing nothing", async () => {
    // Prepare
    const before = await snapshot(h.table);
    // Act
    const answer = await post("/api/instances/_preview", PAST_START);
    // Assess
    expect(answer.status).toBe(200);
    const preview = answer.json.preview;
    expect(preview).toMatchObject({ inPast: true, today: "2024-05-01", choiceRequired: true, history: [] });
    expect(preview.catchUp.map(sameMail).sort()).toEqual([
      "escalation status/skole-a/0 unitManager:skole-a",
      "reminder plan/-/0 unitLeader:forvaltning",
    ]);
    expect(preview.passedDeadlines).toEqual([
      expect.objectContaining({ occurrenceKey: "status/skole-a/0", status: "overdue" }),
    ]);
    expect(await snapshot(h.table)).toEqual(before);
  });

  it("history: stores the moment of starting, audits the choice, sends nothing at once but what falls due later", async () => {
    // Prepare
    const mailsBefore = (await outbox.mails()).length;
    // Act
    const started = await post("/api/instances", { ...PAST_START, past: "history" });
    const id = started.json.id as string;
    const first = await step(id);
    const mailsAtStart = (await outbox.mails()).length - mailsBefore;
    // The plan's P14D reminder: 6 May 2024 08:00 Copenhagen
    h.clock.set("2024-05-06T06:00:00Z");
    const later = await step(id);
    h.clock.set("2024-05-01T06:00:00Z");
    // Assess
    expect(started.status).toBe(201);
    const instance = await h.table.stores.instances.get(id);
    expect(instance?.quietUntil).toBe("2024-05-01T06:00:00Z");
    const created = (await h.table.stores.audit.list(id)).find((e) => e.action === "instance.created");
    expect(created?.details).toMatchObject({ past: "history", startAt: "2024-02-29T23:00:00Z" });
    expect(first.sent).toBe(0);
    expect(mailsAtStart).toBe(0);
    expect(later.sent).toBe(1);
    const detail = await fetch(`${h.url}/api/instances/${id}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }).then((r) => r.json() as Promise<Json>);
    const status = (detail.units as { milestones: { key: string; status: string }[] }[])
      .flatMap((g) => g.milestones)
      .find((m) => m.key === "status/skole-a/0");
    expect(status?.status).toBe("overdue");
  });

  it("catch-up: sends at once exactly what the preview said, to the people it named", async () => {
    // Prepare
    const preview = (await post("/api/instances/_preview", PAST_START)).json.preview;
    const own = await createOutbox(h.clock);
    // Act
    const started = await post("/api/instances", { ...PAST_START, past: "catch-up" });
    const id = started.json.id as string;
    const first = await step(id, own);
    // Assess
    expect(started.status).toBe(201);
    expect((await h.table.stores.instances.get(id))?.quietUntil).toBeUndefined();
    const trail = await h.table.stores.audit.list(id);
    expect(trail.find((e) => e.action === "instance.created")?.details).toMatchObject({ past: "catch-up" });
    expect(first.sent).toBe(preview.catchUp.length);
    const sent = trail
      .filter((e) => e.action === "notification.sent")
      .map((e) =>
        sameMail({
          kind: String(e.details?.kind),
          occurrenceKey: String(e.details?.occurrenceKey),
          recipient: String(e.details?.recipient),
        }),
      );
    expect(sent.sort()).toEqual(preview.catchUp.map(sameMail).sort());
    const to = (await mailsTo(own)).sort();
    await own.remove();
    expect(to).toEqual(["frida@example.dk", "mads@example.dk"]);
  });
});

/**
 * Issue 11, change 4 through the real admin API over DynamoDB Local: confirm on the leader's
 * behalf, undo it, each previewed first (nothing written) and refused with a located message
 * where it cannot be done; then the loop's own steps on the same table send the leader the one
 * "reopened" mail, parsed back from the outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { runNotify } from "../../shared/app/notify.ts";
import { createOutbox, execution, notifyDeps, type Outbox } from "../app/fixtures.ts";
import {
  ADMIN_TOKEN,
  type Harness,
  instanceWithLinks,
  LINK_KEY,
  park,
  startHarness,
  UNITS,
} from "./harness.ts";

let h: Harness;
let outbox: Outbox;

beforeAll(async () => {
  h = await startHarness();
  for (const unit of UNITS) await h.table.stores.units.put(unit);
  outbox = await createOutbox(h.clock);
});
afterAll(async () => {
  await outbox.remove();
  await h.close();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by expect(), field by field.
type Json = any;

async function post(path: string, body: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** One step of the loop on the table the API writes: decide, then send into the outbox. */
async function loopStep(instanceId: string) {
  const decided = await runDecide(
    { ...h.table.stores, clock: h.clock },
    { instanceId, execution: execution() },
  );
  await runNotify(notifyDeps(h.table.stores, h.clock, outbox.transport, { getKey: async () => LINK_KEY }), {
    instanceId,
    notifications: decided.decision.notifications,
  });
  return decided.decision;
}

describe("confirm on someone's behalf and undo it, through the API", () => {
  it("previews, saves, refuses what cannot be done, and the leader is told once", async () => {
    // Prepare
    const { instanceId } = await instanceWithLinks(h);
    const key = "status/skole-a/0";
    const changes = `/api/instances/${instanceId}/changes`;
    const before = await h.snapshot();

    // Act / Assess: the preview of confirming writes nothing
    const preview = await post(`${changes}/confirm-for/preview`, {
      occurrenceKey: key,
      reason: "Lederen er syg",
    });
    expect(preview.status).toBe(200);
    expect(preview.json.preview.cancelledNotifications.length).toBeGreaterThanOrEqual(1);
    expect(preview.json.preview.cancelledNotifications.every((n: Json) => n.occurrenceKey === key)).toBe(
      true,
    );
    expect(await h.snapshot()).toEqual(before);

    // Saving at the previewed rev confirms it and wakes the parked loop
    await park(h, instanceId, "token-confirm");
    const saved = await post(`${changes}/confirm-for`, {
      occurrenceKey: key,
      reason: "Lederen er syg",
      expectedRev: preview.json.preview.rev,
    });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ action: "confirm-for", woken: true });
    expect(await h.table.stores.instances.getMilestone(instanceId, key)).toMatchObject({
      status: "confirmed",
      confirmedBy: "admin-api",
    });

    // Refused, located at the field, nothing written
    const confirmedSnapshot = await h.snapshot();
    const again = await post(`${changes}/confirm-for`, { occurrenceKey: key, reason: "Lederen er syg" });
    expect(again.status).toBe(400);
    expect(again.json.errors).toEqual([
      expect.objectContaining({
        path: "occurrenceKey",
        message: expect.stringContaining("confirmed already"),
      }),
    ]);
    const notConfirmed = await post(`${changes}/undo-confirmation`, {
      occurrenceKey: "status/skole-b/0",
      reason: "Fejl",
    });
    expect(notConfirmed.status).toBe(400);
    expect(notConfirmed.json.errors).toEqual([
      expect.objectContaining({ path: "occurrenceKey", message: expect.stringContaining("not confirmed") }),
    ]);
    expect(await h.snapshot()).toEqual(confirmedSnapshot);

    // Undo: the preview says the leader is told now; the save reopens it with the notice
    const undoPreview = await post(`${changes}/undo-confirmation/preview`, {
      occurrenceKey: key,
      reason: "Bekræftet ved en fejl",
    });
    expect(undoPreview.status).toBe(200);
    expect(undoPreview.json.preview.sendsNow).toEqual([
      expect.objectContaining({
        kind: "reopened",
        occurrenceKey: key,
        recipient: { kind: "unitLeader", unitId: "skole-a" },
      }),
    ]);
    const undone = await post(`${changes}/undo-confirmation`, {
      occurrenceKey: key,
      reason: "Bekræftet ved en fejl",
      expectedRev: undoPreview.json.preview.rev,
    });
    expect(undone.status).toBe(200);
    const reopened = await h.table.stores.instances.getMilestone(instanceId, key);
    expect(reopened).toMatchObject({
      status: "open",
      reopened: { by: "admin-api", reason: "Bekræftet ved en fejl" },
    });
    expect(reopened?.confirmedAt).toBeUndefined();
    const trail = await h.table.stores.audit.list(instanceId);
    expect(trail.map((e) => e.action)).toEqual(
      expect.arrayContaining(["confirmation.on-behalf", "confirmation.undone"]),
    );

    // The loop tells the leader, once
    const first = await loopStep(instanceId);
    expect(first.notifications.filter((n) => n.kind === "reopened").map((n) => n.occurrenceKey)).toEqual([
      key,
    ]);
    const second = await loopStep(instanceId);
    expect(second.notifications.filter((n) => n.kind === "reopened")).toEqual([]);
    const mails = (await outbox.mails()).filter((m) => m.subject?.startsWith("Din bekræftelse er fortrudt"));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toMatchObject({ value: [{ address: "lene@skole-a.example.dk" }] });
    expect(mails[0]?.text).toContain("Det er gjort af en administrator.");
    expect(mails[0]?.text).toContain("Begrundelse: Bekræftet ved en fejl");
  });
});

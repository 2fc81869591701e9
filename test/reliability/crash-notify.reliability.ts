/**
 * The two crash points inside a Notify batch that matter most, reproduced in seconds (the long
 * crash test, crash-resume.reliability.ts, hits them at random): the process dies after claiming
 * a reminder but before sending it, or after sending it but before marking it sent. The engine is
 * then started again on the same tables (as after kill -9) and re-runs the Notify task that was
 * in flight. Expected: the reminder goes out once, is recorded as sent, and is late only by the
 * wait for the dead worker's claim lease.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { MailTransport, OutgoingMail } from "../../shared/mail/transport.ts";
import { type Unit, WorkflowSchema } from "../../shared/model/schema.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { LEADER, MANAGER } from "../app/fixtures.ts";
import { type LoopWorld, loopWorld } from "./loop-world.ts";

const FORVALTNING: Unit = {
  id: "forvaltning",
  name: "Forvaltningen",
  type: "forvaltning",
  leader: LEADER,
  manager: MANAGER,
};

/** One report due 31 October 2024, reminded 14 and 3 days before. */
const report = WorkflowSchema.parse({
  id: "crash-notify",
  title: "Rapport",
  defaults: { escalation: false },
  milestones: [
    { id: "a", title: "Rapport A", owner: "unit:forvaltning", due: "2024-10-31", reminders: ["P14D", "P3D"] },
  ],
});
/** 08:00 Copenhagen, 17 October 2024: the P14D reminder's moment. */
const P14D_AT = "2024-10-17T06:00:00Z";
const UNTIL = "2024-11-05T00:00:00Z";

const worlds: LoopWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

/**
 * A file outbox that, on the first mail, lets the process die: the engine stops writing (crash)
 * and the handler never returns, as if the process were gone. `after: "send"` delivers the mail
 * first; `after: "claim"` dies before delivering it (the claim is already written).
 */
async function dyingWorld(after: "claim" | "send") {
  let w: LoopWorld | undefined;
  let died = false;
  const made = await loopWorld({
    start: "2024-10-01T06:00:00Z",
    transport: (outbox): MailTransport => ({
      name: "outbox",
      send: async (message: OutgoingMail) => {
        if (died) return outbox.transport.send(message);
        died = true;
        if (after === "send") await outbox.transport.send(message);
        w?.engine.crash();
        return new Promise<never>(() => {});
      },
    }),
  });
  w = made;
  worlds.push(made);
  return made;
}

async function reminderState(w: LoopWorld, instanceId: string) {
  const trail = await w.reader.audit.list(instanceId);
  const p14dKey = `${instanceId}/a/-/0/reminder/P14D/2024-10-31T22:59:00Z`;
  const item = await w.reader.notifications.get(instanceId, p14dKey);
  const mails = (await w.outbox.mails()).filter(
    (m) => m.date?.toISOString() === new Date(P14D_AT).toISOString(),
  );
  return {
    item,
    audited: trail.filter((e) => e.action === "notification.sent" && e.details?.notificationKey === p14dKey),
    mails,
  };
}

describe("a crash inside a Notify batch, then a restart", () => {
  it("dies after claiming the reminder, before sending it: after the restart it still goes out, once, as soon as the lease has run out", async () => {
    // Prepare
    const w = await dyingWorld("claim");
    const instanceId = await w.startInstance(report, { units: [FORVALTNING] });
    const first = await w.engine.run({ until: UNTIL });
    expect(first.status).toBe("stopped");
    expect(w.clock.now().toString()).toBe(P14D_AT);

    // Act
    await w.restart();
    await w.engine.run({ until: UNTIL });

    // Assess
    const { item, audited } = await reminderState(w, instanceId);
    expect(item?.status).toBe("sent");
    expect(audited).toHaveLength(1);
    // The dead worker's 90-s lease, waited out by the busy retries at +30, +90 and +210 s.
    const lateBySeconds = Temporal.Instant.from(item?.sentAt ?? UNTIL)
      .since(Temporal.Instant.from(P14D_AT))
      .total("seconds");
    expect(lateBySeconds).toBe(210);
  });

  it("dies after sending the reminder, before marking it: after the restart it is recorded as sent, not sent again", async () => {
    // Prepare
    const w = await dyingWorld("send");
    const instanceId = await w.startInstance(report, { units: [FORVALTNING] });
    expect((await w.engine.run({ until: UNTIL })).status).toBe("stopped");

    // Act
    await w.restart();
    await w.engine.run({ until: UNTIL });

    // Assess: the one mail that went out is the one on record.
    const outbox = await w.outbox.mails();
    const ids = outbox.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    const { item, audited, mails } = await reminderState(w, instanceId);
    expect(mails).toHaveLength(1);
    expect(item?.status).toBe("sent");
    expect(audited).toHaveLength(1);
  });
});

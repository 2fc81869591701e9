import { readdir } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runDecide } from "../../shared/app/decide-step.ts";
import { type NotifyDeps, runNotify } from "../../shared/app/notify.ts";
import { verifyLink } from "../../shared/links/confirm-link.ts";
import { BUSY_ERROR_NAME, NOTIFY_CLAIM_LEASE_SECONDS, TRANSIENT_ERROR_NAME } from "../../shared/loop/asl.ts";
import type { OutgoingMail } from "../../shared/mail/transport.ts";
import { ManualClock } from "../../shared/time/clock.ts";
import type { Decision } from "../../shared/timeline/types.ts";
import { createMemoryTable, type MemoryTestTable } from "../support/memory.ts";
import {
  calendarEvents,
  createOutbox,
  DUE_AT,
  execution,
  failure,
  fixedLinkKey,
  flakyTransport,
  LEADER,
  MANAGER,
  notifyDeps,
  type Outbox,
  P3D_AT,
  rejected,
  SETTINGS,
  type Seeded,
  seedInstance,
  throttled,
} from "./fixtures.ts";

const clock = new ManualClock(P3D_AT);
const linkKey = fixedLinkKey();
let table: MemoryTestTable;
let outbox: Outbox;

beforeAll(async () => {
  table = await createMemoryTable({ clock });
});
afterAll(async () => {
  await table.drop();
});
beforeEach(async () => {
  clock.set(P3D_AT);
  outbox = await createOutbox(clock);
});
afterEach(async () => {
  await outbox.remove();
});

/** A seeded instance and what Decide says to send for it at the P3D reminder. */
async function decided(options: { manager?: boolean } = {}): Promise<{ seeded: Seeded; decision: Decision }> {
  const seeded = await seedInstance(table.stores, options);
  const { decision } = await runDecide(
    { ...table.stores, clock },
    { instanceId: seeded.instanceId, execution: execution() },
  );
  expect(decision.notifications).toHaveLength(1);
  return { seeded, decision };
}

function confirmLinkIn(text: string): { id: string; sig: string; url: string } {
  const match =
    /https:\/\/fristflow\.ishoj\.example\/confirm\/([A-Za-z0-9_-]+)\?sig=([A-Za-z0-9_-]{43})/.exec(text);
  if (!match?.[1] || !match[2]) throw new Error("no confirm link in the mail text");
  return { url: match[0], id: match[1], sig: match[2] };
}

describe("runNotify", () => {
  it("sends a real, parseable reminder with a working confirm link and an .ics, marks it sent and audits it", async () => {
    // Prepare
    const { seeded, decision } = await decided();
    // Act
    const report = await runNotify(notifyDeps(table.stores, clock, outbox.transport, linkKey), {
      instanceId: seeded.instanceId,
      notifications: decision.notifications,
    });
    // Assess: the mail
    expect(report).toEqual({ sent: 1, skipped: 0, failed: 0 });
    const mails = await outbox.mails();
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    if (!mail) throw new Error("unreachable");
    expect(mail.to).toMatchObject({ value: [{ address: LEADER.email, name: LEADER.name }] });
    expect(mail.from?.value[0]?.address).toBe(SETTINGS.mailFrom);
    // No reply address configured: no Reply-To, and the mail does not invite a reply to the sender
    expect(mail.replyTo).toBeUndefined();
    expect(mail.text).not.toContain("svare direkte");
    expect(mail.text).toContain(`Spørgsmål? Kontakt ${MANAGER.name} (${MANAGER.email}).`);
    expect(mail.subject).toBe("Påmindelse: Lokal handleplan – Stærke fællesskaber – frist 31.10.2024");
    expect(mail.text).toContain(`Kære ${LEADER.name},`);
    expect(mail.text).toContain("Vejleåskolen");
    expect(mail.text).toContain("3 dage tilbage");
    expect(mail.html).toContain("Lokal handleplan");
    // Assess: the link is signed, bound to this occurrence and recipient (nothing stored for it)
    const link = confirmLinkIn(mail.text ?? "");
    expect(mail.html).toContain(link.url);
    const verdict = verifyLink(link.id, link.sig, linkKey.key, clock.now());
    if (!verdict.ok) throw new Error(`the mailed link does not verify: ${verdict.reason}`);
    expect(verdict.claims).toMatchObject({
      instanceId: seeded.instanceId,
      occurrenceKey: seeded.occurrenceKey,
      recipient: `unitLeader:${seeded.unitId}`,
      purpose: "confirm",
    });
    // Assess: the calendar entry is the deadline
    const events = calendarEvents(mail);
    expect(events).toHaveLength(1);
    expect(new Date(events[0]?.start ?? 0).toISOString()).toBe("2024-10-31T22:59:00.000Z");
    // Assess: recorded as sent and audited, without addresses
    const key = decision.notifications[0]?.key ?? "";
    expect(await table.stores.notifications.get(seeded.instanceId, key)).toMatchObject({ status: "sent" });
    const sent = (await table.stores.audit.list(seeded.instanceId)).filter(
      (e) => e.action === "notification.sent",
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]?.details).toMatchObject({
      notificationKey: key,
      kind: "reminder",
      recipient: `unitLeader:${seeded.unitId}`,
      linkId: verdict.linkId,
      transport: "outbox",
    });
    expect(JSON.stringify(sent)).not.toContain(LEADER.email);
    expect(JSON.stringify(sent)).not.toContain(MANAGER.email);
  });

  it("sends once when the same batch runs twice", async () => {
    // Prepare
    const { seeded, decision } = await decided();
    const input = { instanceId: seeded.instanceId, notifications: decision.notifications };
    const deps = notifyDeps(table.stores, clock, outbox.transport, linkKey);
    // Act
    const first = await runNotify(deps, input);
    const second = await runNotify(deps, input);
    // Assess
    expect(first).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(second).toEqual({ sent: 0, skipped: 1, failed: 0 });
    expect(await outbox.mails()).toHaveLength(1);
  });

  it("sends once when several workers run the same batch at the same moment; a loser that finds it in flight asks for a retry", async () => {
    // Prepare: four Lambdas, each with its own store and worker id
    const { seeded, decision } = await decided();
    const input = { instanceId: seeded.instanceId, notifications: decision.notifications };
    const workers = ["a", "b", "c", "d"].map((w) =>
      notifyDeps(table.storesWith(clock), clock, outbox.transport, linkKey, { workerId: `worker-${w}` }),
    );
    // Act
    const results = await Promise.allSettled(workers.map((deps) => runNotify(deps, input)));
    clock.advance(`PT${NOTIFY_CLAIM_LEASE_SECONDS + 1}S`);
    const retried = await runNotify(workers[1] as NotifyDeps, input);
    // Assess: one sent; each loser either saw it sent or saw it claimed and threw the busy error
    const reports = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const errors = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).name] : []));
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(1);
    expect(reports.reduce((sum, r) => sum + r.skipped, 0) + errors.length).toBe(3);
    expect(errors.every((name) => name === BUSY_ERROR_NAME)).toBe(true);
    expect(retried).toEqual({ sent: 0, skipped: 1, failed: 0 });
    expect(await outbox.mails()).toHaveLength(1);
  });

  it("a claim left by a worker that died before sending: busy while its lease runs, then taken over and sent once", async () => {
    // Prepare: a worker claimed the reminder and was killed (no mail, no release)
    const { seeded, decision } = await decided();
    const input = { instanceId: seeded.instanceId, notifications: decision.notifications };
    const key = decision.notifications[0]?.key ?? "";
    expect(
      (
        await table.stores.notifications.claim(
          seeded.instanceId,
          key,
          "dead-worker",
          NOTIFY_CLAIM_LEASE_SECONDS,
        )
      ).claimed,
    ).toBe(true);
    const deps = notifyDeps(table.stores, clock, outbox.transport, linkKey, { workerId: "restarted" });
    // Act
    clock.advance(`PT${NOTIFY_CLAIM_LEASE_SECONDS - 1}S`);
    const whileLeased = await failure(runNotify(deps, input));
    const mailsWhileLeased = (await outbox.mails()).length;
    clock.advance("PT2S");
    const afterLease = await runNotify(deps, input);
    // Assess
    expect(whileLeased.name).toBe(BUSY_ERROR_NAME);
    expect(whileLeased.message).toContain("1 of 1 notifications are claimed by another worker");
    expect(mailsWhileLeased).toBe(0);
    expect(afterLease).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(await table.stores.notifications.get(seeded.instanceId, key)).toMatchObject({
      status: "sent",
      claimedBy: "restarted",
    });
    expect(await outbox.mails()).toHaveLength(1);
    const trail = await table.stores.audit.list(seeded.instanceId);
    expect(trail.filter((e) => e.action === "notification.sent")).toHaveLength(1);
  });

  it("a worker that died after sending, before marking: the takeover sends the same Message-ID, which the outbox keeps once", async () => {
    // Prepare: the first worker's mail reached the outbox, then the worker died
    const { seeded, decision } = await decided();
    const input = { instanceId: seeded.instanceId, notifications: decision.notifications };
    const key = decision.notifications[0]?.key ?? "";
    let delivered!: () => void;
    const deliveredOnce = new Promise<void>((resolve) => {
      delivered = resolve;
    });
    // The process "dies" once the mail is out: the send never returns, so nothing is marked.
    const dying = {
      name: "outbox",
      send: async (message: OutgoingMail): Promise<never> => {
        await outbox.transport.send(message);
        delivered();
        return new Promise<never>(() => {});
      },
    };
    void runNotify(notifyDeps(table.storesWith(clock), clock, dying, linkKey, { workerId: "first" }), input);
    await deliveredOnce;
    const firstFiles = (await readdir(outbox.dir)).filter((f) => f.endsWith(".eml"));
    // Act
    clock.advance(`PT${NOTIFY_CLAIM_LEASE_SECONDS + 1}S`);
    const report = await runNotify(
      notifyDeps(table.stores, clock, outbox.transport, linkKey, { workerId: "second" }),
      input,
    );
    // Assess
    expect(report).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect((await readdir(outbox.dir)).filter((f) => f.endsWith(".eml"))).toEqual(firstFiles);
    expect(await table.stores.notifications.get(seeded.instanceId, key)).toMatchObject({
      status: "sent",
      messageId: firstFiles[0],
    });
  });

  it("releases the claim and throws Fristflow.Transient on a transient failure; the retry then sends", async () => {
    // Prepare: SES throttles both attempts of the first run
    const { seeded, decision } = await decided();
    const input = { instanceId: seeded.instanceId, notifications: decision.notifications };
    const key = decision.notifications[0]?.key ?? "";
    const transport = flakyTransport(outbox.transport, 2, throttled);
    const deps = notifyDeps(table.stores, clock, transport, linkKey, { mailRetry: { maxAttempts: 2 } });
    // Act
    const err = await failure(runNotify(deps, input));
    const released = await table.stores.notifications.get(seeded.instanceId, key);
    const retried = await runNotify(deps, input);
    // Assess
    expect(err.name).toBe(TRANSIENT_ERROR_NAME);
    expect(err.message).not.toContain(LEADER.email);
    expect(released).toMatchObject({ status: "released" });
    expect(released?.lastError).not.toContain(LEADER.email);
    expect(retried).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(transport.calls).toBe(3);
    expect(await outbox.mails()).toHaveLength(1);
    const trail = await table.stores.audit.list(seeded.instanceId);
    expect(trail.map((e) => e.action).filter((a) => a.startsWith("notification."))).toEqual([
      "notification.failed",
      "notification.sent",
    ]);
    expect(trail.find((e) => e.action === "notification.failed")?.details).toMatchObject({ transient: true });
  });

  it("audits a permanent failure without asking Step Functions to retry it", async () => {
    // Prepare: SES rejects the message
    const { seeded, decision } = await decided();
    const key = decision.notifications[0]?.key ?? "";
    const transport = flakyTransport(outbox.transport, Number.POSITIVE_INFINITY, rejected);
    // Act
    const report = await runNotify(notifyDeps(table.stores, clock, transport, linkKey), {
      instanceId: seeded.instanceId,
      notifications: decision.notifications,
    });
    // Assess: one attempt, resolved (no Fristflow.Transient), released and audited without the address
    expect(report).toEqual({ sent: 0, skipped: 0, failed: 1 });
    expect(transport.calls).toBe(1);
    expect(await table.stores.notifications.get(seeded.instanceId, key)).toMatchObject({
      status: "released",
    });
    const failed = (await table.stores.audit.list(seeded.instanceId)).filter(
      (e) => e.action === "notification.failed",
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]?.details).toMatchObject({ transient: false, error: "MailSendError" });
    expect(JSON.stringify(failed)).not.toContain(LEADER.email);
    expect(JSON.stringify(failed)).toContain("<address>");
  });

  it("audits a recipient missing from the directory as permanent and sends nothing", async () => {
    // Prepare: the school left the directory after Decide ran
    const { seeded, decision } = await decided();
    await table.stores.units.delete(seeded.unitId);
    // Act
    const report = await runNotify(notifyDeps(table.stores, clock, outbox.transport, linkKey), {
      instanceId: seeded.instanceId,
      notifications: decision.notifications,
    });
    // Assess
    expect(report).toEqual({ sent: 0, skipped: 0, failed: 1 });
    expect(await outbox.mails()).toHaveLength(0);
    const failed = (await table.stores.audit.list(seeded.instanceId)).find(
      (e) => e.action === "notification.failed",
    );
    expect(failed?.details).toMatchObject({
      transient: false,
      error: "RecipientError",
      problem: "unknown-unit",
      recipient: `unitLeader:${seeded.unitId}`,
    });
  });

  it("escalates to the manager with the leader as contact, after the deadline", async () => {
    // Prepare: a day after the deadline, nobody confirmed
    clock.set("2024-11-01T07:00:00Z");
    const { seeded, decision } = await decided();
    // Act
    await runNotify(notifyDeps(table.stores, clock, outbox.transport, linkKey), {
      instanceId: seeded.instanceId,
      notifications: decision.notifications,
    });
    // Assess
    expect(decision.notifications.map((n) => [n.kind, n.level])).toEqual([["escalation", 1]]);
    const [mail] = await outbox.mails();
    expect(mail?.to).toMatchObject({ value: [{ address: MANAGER.email }] });
    expect(mail?.text).toContain(`Kontakt ${LEADER.name} (${LEADER.email})`);
    expect(mail?.text).toContain(`Kære ${MANAGER.name},`);
    expect(mail?.text).toContain("/confirm/");
  });

  it("numbers an escalation as the first the manager gets, even when downtime skipped earlier levels", async () => {
    // Prepare: three weeks after the deadline and nothing sent: only the latest level goes out
    clock.set("2024-11-21T07:00:00Z");
    const { seeded, decision } = await decided();
    // Act
    await runNotify(notifyDeps(table.stores, clock, outbox.transport, linkKey), {
      instanceId: seeded.instanceId,
      notifications: decision.notifications,
    });
    // Assess
    const [escalation] = decision.notifications;
    expect(escalation?.kind).toBe("escalation");
    expect(escalation?.level).toBeGreaterThan(1);
    expect(escalation?.ordinal).toBe(1);
    const [mail] = await outbox.mails();
    expect(mail?.text).toContain("Dette er rykker nr. 1.");
    expect(mail?.subject).not.toContain("(rykker");
  });

  it("drops the batch of an instance cancelled since it was decided", async () => {
    // Prepare
    const { seeded, decision } = await decided();
    await table.stores.instances.cancel(seeded.instanceId, "admin");
    // Act
    const report = await runNotify(notifyDeps(table.stores, clock, outbox.transport, linkKey), {
      instanceId: seeded.instanceId,
      notifications: decision.notifications,
    });
    // Assess
    expect(report).toEqual({ sent: 0, skipped: 1, failed: 0 });
    expect(await outbox.mails()).toHaveLength(0);
  });

  it("names the organisation as contact when the owner's unit has no manager", async () => {
    // Prepare
    const { seeded, decision } = await decided({ manager: false });
    // Act
    await runNotify(notifyDeps(table.stores, clock, outbox.transport, linkKey), {
      instanceId: seeded.instanceId,
      notifications: decision.notifications,
    });
    // Assess
    const [mail] = await outbox.mails();
    expect(mail?.text).toContain(`Kontakt ${SETTINGS.organisation} (${SETTINGS.mailFrom})`);
    expect(DUE_AT).toBe(decision.notifications[0]?.dueAt);
  });
});

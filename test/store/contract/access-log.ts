/**
 * The contract of the access-log port: each entry found by one read of its key (case reference,
 * instance without one, day for what names neither), in time order, and gone from the reads once
 * past its expiry, whether or not the TTL has removed it (DynamoDB Local never does).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AccessLogInput } from "../../../shared/store/records.ts";
import { ManualClock } from "../../../shared/time/clock.ts";
import type { StoreHarness, StoreSetup } from "./setup.ts";

const START = "2024-05-01T06:00:00Z";
const epoch = (at: string) => Math.floor(Date.parse(at) / 1000);

function entry(overrides: Partial<AccessLogInput> = {}): AccessLogInput {
  return {
    at: START,
    expiresAt: epoch(START) + 3600,
    who: { kind: "user", id: "vera", name: "Vera Læser" },
    view: "instance-page",
    address: "127.0.0.1",
    userAgent: "Mozilla/5.0",
    ...overrides,
  };
}

export function accessLogContract(setup: StoreSetup): void {
  const clock = new ManualClock(START);
  let table: StoreHarness;

  beforeAll(async () => {
    table = await setup.create(clock);
  });
  afterAll(async () => {
    await table.drop();
  });

  it("finds a case's entries by its reference, in time order, apart from other cases and instances", async () => {
    // Prepare
    const ref = `UND-${randomBytes(3).toString("hex")}`;
    const log = table.stores.accessLog;
    // Act
    const later = await log.record(
      entry({
        at: "2024-05-01T06:00:02Z",
        caseRef: ref,
        instanceId: "und-2",
        workflowId: "und",
        view: "instance-report",
      }),
    );
    const first = await log.record(
      entry({
        at: "2024-05-01T06:00:01Z",
        caseRef: ref,
        instanceId: "und-1",
        workflowId: "und",
        requestId: "r-1",
      }),
    );
    await log.record(entry({ caseRef: `${ref}-other`, instanceId: "und-3" }));
    await log.record(entry({ instanceId: "und-1" }));
    // Assess
    const found = await log.forCase(ref);
    expect(found).toEqual([first, later]);
    expect(found[0]).toMatchObject({
      caseRef: ref,
      instanceId: "und-1",
      requestId: "r-1",
      who: { id: "vera" },
    });
    expect(first.id).not.toBe(later.id);
    expect(await log.forCase(ref.toLowerCase())).toEqual([]);
  });

  it("keys an instance without a case reference by the instance, and what names neither by its day", async () => {
    // Prepare
    const instanceId = `plain-${randomBytes(3).toString("hex")}`;
    const log = table.stores.accessLog;
    // Act
    const viewed = await log.record(entry({ instanceId, workflowId: "plain", view: "api-instance" }));
    const listed = await log.record(
      entry({ at: "2024-05-02T23:30:00Z", view: "api-instance-list", detail: "3 instances" }),
    );
    // Assess
    expect(await log.forInstance(instanceId)).toEqual([viewed]);
    expect((await log.forDay("2024-05-02")).filter((e) => e.id === listed.id)).toEqual([listed]);
    expect((await log.forDay("2024-05-01")).some((e) => e.id === listed.id)).toBe(false);
  });

  it("keeps expiresAt as written and leaves an entry out of every read once it is past", async () => {
    // Prepare
    const ref = `EXP-${randomBytes(3).toString("hex")}`;
    const log = table.stores.accessLog;
    const expiresAt = epoch(START) + 60;
    const kept = await log.record(entry({ caseRef: ref, expiresAt }));
    // Act and assess
    expect(kept.expiresAt).toBe(expiresAt);
    expect(await log.forCase(ref)).toEqual([kept]);
    clock.set("2024-05-01T06:01:00Z");
    expect(await log.forCase(ref)).toEqual([]);
    clock.set(START);
  });
}

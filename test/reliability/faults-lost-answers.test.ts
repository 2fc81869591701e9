/**
 * Faults between a write and its answer: a mail sent whose "mark sent" is throttled past the SDK's
 * retries; conditional writes that land but whose answer is lost, so the SDK's retry meets a real
 * ConditionalCheckFailed (the notification claim) or the transaction's idempotency token (a
 * confirmation). Each time the mail goes out once and the record says so once.
 */
import { ThrottlingException } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { WorkflowSchema } from "../../shared/model/schema.ts";
import { instanceWithLinks, park, pressConfirm, required, startHarness, UNITS } from "../http/harness.ts";
import {
  type DynamoFault,
  FORVALTNING,
  outboxCounts,
  sentKeys,
  worldsClosedAfterEach,
} from "./faults-support.ts";
import { SDK_ATTEMPTS } from "./loop-world.ts";

const world = worldsClosedAfterEach();

/** Two reports; the second one's P13D reminder wakes the loop the day after the first one's P14D. */
const twoReports = WorkflowSchema.parse({
  id: "mark-throttled",
  title: "To rapporter",
  defaults: { escalation: false },
  milestones: [
    {
      id: "a",
      title: "Rapport A",
      owner: "unit:forvaltning",
      due: "2024-10-31",
      reminders: ["P14D", "P3D"],
    },
    { id: "b", title: "Rapport B", owner: "unit:forvaltning", due: "2024-10-31", reminders: ["P13D"] },
  ],
});

describe("DynamoDB throttling between the send and its record", () => {
  it("marking a sent mail is throttled past the SDK's retries: it is still recorded once and never sent again", async () => {
    // Prepare: every attempt of the first "mark sent" of A's P14D reminder is throttled.
    const faults: DynamoFault[] = [];
    let struck = false;
    const w = await world({
      start: "2024-10-01T06:00:00Z",
      dynamo: (client) => {
        const attempts = new WeakMap<object, number>();
        client.middlewareStack.add(
          (next, context) => async (args) => {
            // "Mark sent" is one transaction with its audit entry (or a lone UpdateItem without one).
            type Update = { UpdateExpression?: string; Key?: unknown };
            const input = (args as { input: Update & { TransactItems?: { Update?: Update }[] } }).input;
            const updates = [input, ...(input.TransactItems ?? []).map((item) => item.Update ?? {})];
            const marking = updates.some(
              (u) =>
                u.UpdateExpression?.startsWith("SET #status = :sent") === true &&
                JSON.stringify(u.Key ?? {}).includes("/a/-/0/reminder/P14D/"),
            );
            const attempt = (attempts.get(context) ?? 0) + 1;
            attempts.set(context, attempt);
            if (marking && !struck) {
              if (attempt === SDK_ATTEMPTS) struck = true;
              faults.push({ command: String(context.commandName), attempt, error: "ThrottlingException" });
              throw new ThrottlingException({ message: "Rate exceeded (injected)", $metadata: {} });
            }
            return next(args);
          },
          { step: "finalizeRequest", priority: "low", name: "throttleMark" },
        );
      },
    });
    const instanceId = await w.startInstance(twoReports, { units: [FORVALTNING] });

    // Act
    await w.engine.run({ until: "2024-11-05T00:00:00Z" });

    // Assess
    expect(faults).toHaveLength(SDK_ATTEMPTS);
    const counts = await outboxCounts(w);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const sent = await sentKeys(w.reader, instanceId);
    expect(sent.map((k) => k.split("/").slice(1, 5).join("/"))).toEqual([
      "a/-/0/reminder",
      "a/-/0/reminder",
      "b/-/0/reminder",
    ]);
    expect(sent.some((k) => k.includes("/a/-/0/reminder/P14D/"))).toBe(true);
    expect(counts.size).toBe(sent.length);
    const trail = await w.reader.audit.list(instanceId);
    expect(
      trail
        .filter((e) => e.action === "notification.sent")
        .map((e) => String(e.details?.notificationKey))
        .sort(),
    ).toEqual(sent);
  });
});

describe("a conditional write that lands, but whose answer is lost", () => {
  it("the SDK retries the notification claim, DynamoDB answers ConditionalCheckFailed: the claim is still ours, the mail goes out once", async () => {
    // Prepare: the first claim of A's P14D reaches DynamoDB, then its response is lost (a timeout),
    // so the SDK sends it again and the condition fails against the claim the first attempt wrote.
    const faults: DynamoFault[] = [];
    let struck = false;
    const w = await world({
      start: "2024-10-01T06:00:00Z",
      dynamo: (client) => {
        client.middlewareStack.add(
          (next, context) => async (args) => {
            const input = (args as { input: { UpdateExpression?: string; Key?: unknown } }).input;
            const claiming =
              input.UpdateExpression?.includes("ADD attempts :one") === true &&
              JSON.stringify(input.Key ?? {}).includes("/a/-/0/reminder/P14D/");
            if (!claiming || struck) return next(args);
            struck = true;
            await next(args);
            faults.push({ command: String(context.commandName), attempt: 1, error: "TimeoutError" });
            throw Object.assign(new Error("socket hang up (injected: the response was lost)"), {
              name: "TimeoutError",
              $metadata: {},
            });
          },
          { step: "finalizeRequest", priority: "low", name: "loseClaimResponse" },
        );
      },
    });
    const instanceId = await w.startInstance(twoReports, { units: [FORVALTNING] });

    // Act
    await w.engine.run({ until: "2024-11-05T00:00:00Z" });

    // Assess: the lost answer happened, and A's P14D reminder still went out once, on time.
    expect(faults).toHaveLength(1);
    const counts = await outboxCounts(w);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const sent = await sentKeys(w.reader, instanceId);
    const p14d = sent.find((k) => k.includes("/a/-/0/reminder/P14D/"));
    expect(p14d).toBeDefined();
    expect((await w.reader.notifications.get(instanceId, p14d ?? ""))?.sentAt).toBe("2024-10-17T06:00:00Z");
    expect(counts.size).toBe(sent.length);
    expect(sent).toHaveLength(3);
  });
});

describe("a confirmation whose answer is lost", () => {
  it("the SDK retries the transaction with its ClientRequestToken: the owner gets the receipt, one confirmation, one wake", async () => {
    // Prepare: the first TransactWriteItems that records a confirmation reaches DynamoDB, then its
    // answer is lost, so the SDK sends it again.
    const h = await startHarness();
    let struck = 0;
    try {
      for (const unit of UNITS) await h.table.stores.units.put(unit);
      const { instanceId, links } = await instanceWithLinks(h);
      const link = required(links.get("status/skole-a/0"), "link");
      await park(h, instanceId, "task-token-lost-answer");
      h.wakes.length = 0;
      h.table.client.middlewareStack.add(
        (next, context) => async (args) => {
          const recording =
            context.commandName === "TransactWriteItemsCommand" &&
            JSON.stringify((args as { input: unknown }).input).includes("confirmation.recorded");
          if (!recording || struck > 0) return next(args);
          struck++;
          await next(args);
          throw Object.assign(new Error("socket hang up (injected: the response was lost)"), {
            name: "TimeoutError",
            $metadata: {},
          });
        },
        { step: "finalizeRequest", priority: "low", name: "loseConfirmationResponse" },
      );

      // Act
      const response = await pressConfirm(h, link);

      // Assess
      const page = await response.text();
      expect(struck).toBe(1);
      expect(response.status).toBe(200);
      expect(page).toContain("er registreret som bekræftet");
      const audit = await h.table.stores.audit.list(instanceId);
      expect(audit.filter((e) => e.action === "confirmation.recorded")).toHaveLength(1);
      expect(h.wakes).toEqual([{ token: "task-token-lost-answer", payload: { reason: "confirmed" } }]);
    } finally {
      await h.close();
    }
  });
});

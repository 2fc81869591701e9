/**
 * Faults injected at the SDK boundary while the real instance loop runs (local engine, real
 * handlers, DynamoDB Local): SES throttling and rejection answered by a scripted HTTP handler
 * inside a real SESv2Client; DynamoDB throttling thrown by middleware inside the store's real
 * client (absorbed by the SDK, or past its retries); conditional writes that land but whose answer
 * is lost, so the SDK's retry meets a real ConditionalCheckFailed (or the transaction's idempotency
 * token); two notify workers racing on one batch; a decide Lambda that throws. Each time: what the
 * state machine did (retry, catch), what the audit trail says, and that no notification was lost
 * or sent twice.
 */
import {
  type DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { afterEach, describe, expect, it } from "vitest";
import { runNotify } from "../../shared/app/notify.ts";
import { LOOP_FAILED } from "../../shared/app/record-failure.ts";
import { BUSY_ERROR_NAME, STATE, TRANSIENT_ERROR_NAME } from "../../shared/loop/asl.ts";
import type { NotifyInput } from "../../shared/loop/contract.ts";
import { SesV2Transport } from "../../shared/mail/transport.ts";
import { type Unit, type Workflow, WorkflowSchema } from "../../shared/model/schema.ts";
import type { Stores } from "../../shared/store/ports.ts";
import type { AuditEntry } from "../../shared/store/records.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { resolveStart } from "../../shared/timeline/plan.ts";
import { simulate } from "../../shared/timeline/simulate.ts";
import { LEADER, MANAGER, SETTINGS } from "../app/fixtures.ts";
import { instanceWithLinks, park, pressConfirm, required, startHarness, UNITS } from "../http/harness.ts";
import { type LambdaFn, type LoopWorld, loopWorld, SDK_ATTEMPTS } from "./loop-world.ts";

const worlds: LoopWorld[] = [];
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close();
});

async function world(options: Parameters<typeof loopWorld>[0]): Promise<LoopWorld> {
  const made = await loopWorld(options);
  worlds.push(made);
  return made;
}

const FORVALTNING: Unit = {
  id: "forvaltning",
  name: "Forvaltningen",
  type: "forvaltning",
  leader: LEADER,
  manager: MANAGER,
};
const SCHOOLS: Unit[] = ["a", "b", "c"].map((x) => ({
  id: `skole-${x}`,
  name: `Skole ${x.toUpperCase()}`,
  type: "school",
  leader: { name: `Leder ${x}`, email: `leder-${x}@skole.example` },
  manager: MANAGER,
}));

/** One report due 31 October 2024, reminded 3 days before and on the day. */
function reportWorkflow(id: string): Workflow {
  return WorkflowSchema.parse({
    id,
    title: "Rapport",
    milestones: [
      {
        id: "rapport",
        title: "Rapport",
        owner: "unit:forvaltning",
        due: "2024-10-31",
        reminders: ["P3D", "P0D"],
        escalation: false,
      },
    ],
  });
}

interface SesCall {
  status: number;
  messageId: string;
}

/**
 * A real SESv2Client (requests serialised and signed, responses parsed by the SDK) whose HTTP
 * exchange is scripted: `answer(n)` gives the status of the n-th request (1-based). The client
 * makes one attempt per send, as SesV2Transport asks: retries belong to sendWithRetry.
 */
function scriptedSes(answer: (n: number) => 200 | 429 | 400) {
  const calls: SesCall[] = [];
  const client = new SESv2Client({
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { body?: unknown }) => {
        const body = JSON.parse(
          typeof request.body === "string"
            ? request.body
            : new TextDecoder().decode(request.body as Uint8Array),
        ) as { Content: { Raw: { Data: string } } };
        const raw = Buffer.from(body.Content.Raw.Data, "base64").toString("utf8");
        const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? "?";
        const status = answer(calls.length + 1);
        calls.push({ status, messageId });
        const error =
          status === 429
            ? { type: "TooManyRequestsException", message: "Maximum sending rate exceeded." }
            : status === 400
              ? { type: "MessageRejected", message: "Email address is not verified." }
              : null;
        return {
          response: {
            statusCode: status,
            headers: {
              "content-type": "application/json",
              "x-amzn-requestid": `req-${calls.length}`,
              ...(error ? { "x-amzn-errortype": error.type } : {}),
            },
            body: Buffer.from(
              JSON.stringify(error ? { message: error.message } : { MessageId: `ses-${calls.length}` }),
            ),
          },
        };
      },
    },
  });
  return { client, calls };
}

function notificationAudit(trail: AuditEntry[]) {
  return trail
    .filter((e) => e.action.startsWith("notification."))
    .map((e) => ({
      action: e.action,
      key: String(e.details?.notificationKey).split("/").slice(-3, -1).join("/"),
      attempts: e.details?.attempts ?? null,
      transient: e.details?.transient ?? null,
      error: e.details?.error ?? null,
    }));
}

/** Keys of the mails sent (decide's own once-markers, `marker:…`, are not mails). */
async function sentKeys(stores: Stores, instanceId: string): Promise<string[]> {
  return (await stores.instances.loadState(instanceId)).state.sent
    .filter((k) => !k.startsWith("marker:"))
    .sort();
}

/** The two-report workflow through the loop to 5 November, with SES answering by `answer`. */
async function reportWithSes(workflowId: string, answer: (n: number) => 200 | 429 | 400) {
  const ses = scriptedSes(answer);
  const w = await world({
    start: "2024-10-01T06:00:00Z",
    transport: () => new SesV2Transport(ses.client),
  });
  const instanceId = await w.startInstance(reportWorkflow(workflowId), { units: [FORVALTNING] });
  await w.engine.run({ until: "2024-11-05T00:00:00Z" });
  return { ses, w, instanceId };
}

describe("SES faults, through the loop", () => {
  it("throttled three times: sendWithRetry backs off and sends once; marked sent, audited with 4 attempts", async () => {
    // Prepare and act
    const { ses, w, instanceId } = await reportWithSes("ses-throttled", (n) => (n <= 3 ? 429 : 200));

    // Assess: two reminders, each delivered by exactly one 200, the first after three 429s.
    const trail = await w.reader.audit.list(instanceId);
    expect(notificationAudit(trail)).toEqual([
      { action: "notification.sent", key: "reminder/P3D", attempts: 4, transient: null, error: null },
      { action: "notification.sent", key: "reminder/P0D", attempts: 1, transient: null, error: null },
    ]);
    expect(ses.calls.map((c) => c.status)).toEqual([429, 429, 429, 200, 200]);
    const delivered = ses.calls.filter((c) => c.status === 200).map((c) => c.messageId);
    expect(new Set(delivered).size).toBe(2);
    expect(new Set(ses.calls.slice(0, 4).map((c) => c.messageId)).size).toBe(1);
    // Exponential backoff with jitter (random 0.5): 100, 200, 400 ms.
    expect(w.mailSleeps).toEqual([100, 200, 400]);
    expect(await sentKeys(w.reader, instanceId)).toHaveLength(2);
    // Handled inside notify: the state machine saw no failure.
    expect(
      w.events.filter(
        (e) => e.type === "StateRetried" || (e.type === "StateCaught" && e.error !== "States.Timeout"),
      ),
    ).toEqual([]);
  });

  it("throttled beyond sendWithRetry's 5 attempts: the claim is released, Step Functions retries Notify, sent once", async () => {
    // Prepare and act
    const { ses, w, instanceId } = await reportWithSes("ses-throttled-long", (n) => (n <= 7 ? 429 : 200));

    // Assess: the audit trail tells the story: failed (transient), then sent on the retry.
    const trail = await w.reader.audit.list(instanceId);
    expect(notificationAudit(trail)).toEqual([
      {
        action: "notification.failed",
        key: "reminder/P3D",
        attempts: null,
        transient: true,
        error: "MailSendError",
      },
      { action: "notification.sent", key: "reminder/P3D", attempts: 3, transient: null, error: null },
      { action: "notification.sent", key: "reminder/P0D", attempts: 1, transient: null, error: null },
    ]);
    const retried = w.events.filter((e) => e.type === "StateRetried");
    expect(retried.map((e) => (e.type === "StateRetried" ? [e.state, e.error] : []))).toEqual([
      [STATE.notify, TRANSIENT_ERROR_NAME],
    ]);
    expect(ses.calls.filter((c) => c.status === 200)).toHaveLength(2);
    expect(await sentKeys(w.reader, instanceId)).toHaveLength(2);
    expect(trail.some((e) => e.action === LOOP_FAILED)).toBe(false);
  });

  it("a permanent rejection is audited, not retried and not marked sent; the loop goes on", async () => {
    // Prepare and act
    const { ses, w, instanceId } = await reportWithSes("ses-rejected", (n) => (n === 1 ? 400 : 200));

    // Assess
    const trail = await w.reader.audit.list(instanceId);
    expect(notificationAudit(trail)).toEqual([
      {
        action: "notification.failed",
        key: "reminder/P3D",
        attempts: null,
        transient: false,
        error: "MailSendError",
      },
      { action: "notification.sent", key: "reminder/P0D", attempts: 1, transient: null, error: null },
    ]);
    expect(ses.calls.map((c) => c.status)).toEqual([400, 200]);
    const p3d = (await sentKeys(w.reader, instanceId)).filter((k) => k.includes("/P3D/"));
    expect(p3d).toEqual([]);
    const rejectedKey = String(
      trail.find((e) => e.action === "notification.failed")?.details?.notificationKey,
    );
    expect((await w.reader.notifications.get(instanceId, rejectedKey))?.status).toBe("released");
    expect(
      w.events.filter(
        (e) => e.type === "StateRetried" || (e.type === "StateCaught" && e.error !== "States.Timeout"),
      ),
    ).toEqual([]);
    expect((await w.reader.instances.get(instanceId))?.status).toBe("running");
  });
});

/** Three schools and the administration, reminders and escalations, nobody confirms. */
function busyWorkflow(id: string): Workflow {
  return WorkflowSchema.parse({
    id,
    title: "Travl tidsplan",
    defaults: { reminders: ["P14D", "P3D", "P0D"], escalation: { after: "P1D", every: "P7D", max: 2 } },
    milestones: [
      { id: "plan", title: "Lokal plan", forEach: ["school"], owner: "leader", due: "2024-03-15" },
      { id: "status", title: "Status", forEach: ["school"], owner: "leader", due: "2024-05-31" },
      {
        id: "samlet",
        title: "Samlet status",
        owner: "unit:forvaltning",
        due: "2024-06-28",
        reminders: ["P7D", "P0D"],
      },
    ],
  });
}

const BUSY_START = "2024-02-01T07:00:00Z";
const BUSY_UNTIL = "2024-08-01T00:00:00Z";

function expectedKeys(definition: Workflow, instanceId: string, units: Unit[]): string[] {
  const startAt = resolveStart(BUSY_START, definition.timezone).toString();
  const result = simulate(
    definition,
    {
      instanceId,
      startAt,
      params: {},
      units: units.map((u) => ({ id: u.id, type: u.type, name: u.name })),
      confirmations: [],
      sent: [],
      dueOverrides: {},
      execution: { startedAt: startAt, loops: 0 },
    },
    { confirmAt: () => null, until: Temporal.Instant.from(BUSY_UNTIL) },
  );
  return result.sent.map((n) => n.key).sort();
}

/** How often each Message-ID is in the outbox folder. */
async function outboxCounts(w: LoopWorld): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const mail of await w.outbox.mails()) {
    const id = mail.messageId ?? "?";
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

interface DynamoFault {
  command: string;
  attempt: number;
  error: string;
}

/**
 * Middleware in the store's real DynamoDB client, below the SDK's retry (so each attempt passes
 * through it): the requests `victim` picks fail with a throttling exception for their first
 * `victim` attempts. Fewer than the SDK's SDK_ATTEMPTS are absorbed by the SDK's retries; as many
 * reach fristflow's code.
 */
function throttle(victim: (command: string, n: number) => number, faults: DynamoFault[]) {
  return (client: DynamoDBClient) => {
    const attemptsSeen = new WeakMap<object, number>();
    let requests = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName ?? "");
        let attempt = attemptsSeen.get(context);
        if (attempt === undefined) requests++;
        attempt = (attempt ?? 0) + 1;
        attemptsSeen.set(context, attempt);
        const failFor = victim(command, requests);
        if (attempt <= failFor) {
          const Type = attempt % 2 === 1 ? ProvisionedThroughputExceededException : ThrottlingException;
          faults.push({ command, attempt, error: Type.name });
          throw new Type({
            message: "Rate of requests exceeds the allowed throughput (injected)",
            $metadata: { httpStatusCode: 400, attempts: attempt },
          });
        }
        return next(args);
      },
      { step: "finalizeRequest", priority: "low", name: "injectThrottling" },
    );
  };
}

describe("DynamoDB faults, through the loop", () => {
  it("throttling absorbed by the SDK's retries changes nothing: the sends equal decide()'s simulation", async () => {
    // Prepare: every 7th request is throttled for 1 to 3 attempts (the SDK makes 4).
    const faults: DynamoFault[] = [];
    const w = await world({
      start: BUSY_START,
      dynamo: throttle((_, n) => (n % 7 === 0 ? 1 + ((n / 7) % (SDK_ATTEMPTS - 1)) : 0), faults),
    });
    const definition = busyWorkflow("ddb-throttled-sdk");
    const instanceId = await w.startInstance(definition, { units: [FORVALTNING, ...SCHOOLS] });

    // Act
    await w.engine.run({ until: BUSY_UNTIL });

    // Assess
    const expected = expectedKeys(definition, instanceId, [FORVALTNING, ...SCHOOLS]);
    expect(expected.length).toBeGreaterThan(20);
    expect(await sentKeys(w.reader, instanceId)).toEqual(expected);
    const counts = await outboxCounts(w);
    expect(counts.size).toBe(expected.length);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(faults.length).toBeGreaterThan(20);
    expect(faults.some((f) => f.attempt === SDK_ATTEMPTS - 1)).toBe(true);
    expect(
      w.events.filter(
        (e) => e.type === "StateRetried" || (e.type === "StateCaught" && e.error !== "States.Timeout"),
      ),
    ).toEqual([]);
  }, 120_000);

  it("throttling past the SDK's retries: Step Functions retries the Lambda, nothing lost, nothing sent twice", async () => {
    // Prepare: one request in nine fails every attempt the SDK makes.
    const faults: DynamoFault[] = [];
    const w = await world({
      start: BUSY_START,
      dynamo: throttle((_, n) => (n % 9 === 0 ? SDK_ATTEMPTS : 0), faults),
    });
    const definition = busyWorkflow("ddb-throttled-loop");
    const instanceId = await w.startInstance(definition, { units: [FORVALTNING, ...SCHOOLS] });

    // Act
    await w.engine.run({ until: BUSY_UNTIL });

    // Assess: faults reached the Lambdas and the state machine retried them with backoff.
    const retried = w.events.flatMap((e) => (e.type === "StateRetried" ? [[e.state, e.error]] : []));
    expect(retried.length).toBeGreaterThan(3);
    expect(retried.every(([, error]) => error === TRANSIENT_ERROR_NAME)).toBe(true);
    expect(faults.filter((f) => f.attempt === SDK_ATTEMPTS).length).toBeGreaterThan(5);
    // Nothing lost, nothing twice: every key decide() says is due went out once, as one mail.
    const expected = expectedKeys(definition, instanceId, [FORVALTNING, ...SCHOOLS]);
    expect(await sentKeys(w.reader, instanceId)).toEqual(expected);
    const counts = await outboxCounts(w);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(counts.size).toBe(expected.length);
    const trail = await w.reader.audit.list(instanceId);
    const sentEntries = trail.filter((e) => e.action === "notification.sent");
    expect(sentEntries.map((e) => String(e.details?.notificationKey)).sort()).toEqual(expected);
  }, 180_000);
});

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

describe("races and a Lambda that throws", () => {
  it("two notify workers on every batch (a duplicated invocation): each mail once; the loser skips or waits it out", async () => {
    // Prepare: each Notify invocation also runs a second, independent worker on the same batch.
    let world2: LoopWorld | undefined;
    // Both workers' outcomes: a report, or the name of the error the batch ended with.
    const outcomes: ({ sent: number; skipped: number } | string)[] = [];
    const outcome = (settled: PromiseSettledResult<unknown>) =>
      settled.status === "fulfilled"
        ? (settled.value as { sent: number; skipped: number })
        : (settled.reason as Error).name;
    const w = await world({
      start: BUSY_START,
      wrap: {
        notify: (inner: LambdaFn) => async (payload) => {
          const rival = world2;
          if (!rival) return inner(payload);
          const [mine, theirs] = await Promise.allSettled([
            inner(payload),
            runNotify(
              {
                ...rival.stores,
                clock: rival.clock,
                settings: SETTINGS,
                transport: rival.outbox.transport,
                linkKey: { getKey: async () => Buffer.alloc(32, 3) },
                sleep: async () => {},
                random: () => 0.5,
                workerId: "rival",
              },
              payload as NotifyInput,
            ),
          ]);
          outcomes.push(outcome(mine), outcome(theirs));
          // The engine sees our worker's outcome, as Step Functions sees one invocation's.
          if (mine.status === "rejected") throw mine.reason;
          return mine.value;
        },
      },
    });
    world2 = w;
    const definition = busyWorkflow("notify-race");
    const instanceId = await w.startInstance(definition, { units: [FORVALTNING, ...SCHOOLS] });

    // Act
    await w.engine.run({ until: BUSY_UNTIL });

    // Assess: both wrote to the same outbox; each Message-ID is there once.
    const expected = expectedKeys(definition, instanceId, [FORVALTNING, ...SCHOOLS]);
    expect(await sentKeys(w.reader, instanceId)).toEqual(expected);
    const counts = await outboxCounts(w);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(counts.size).toBe(expected.length);
    // Each mail was sent by one worker (above); the other found it sent (skipped) or claimed and
    // unsent, and then asked for a retry (busy) instead of skipping it.
    const reports = outcomes.filter((o) => typeof o !== "string");
    const errors = outcomes.filter((o) => typeof o === "string");
    expect(errors.filter((name) => name !== BUSY_ERROR_NAME)).toEqual([]);
    expect(reports.reduce((sum, r) => sum + r.skipped, 0) + errors.length).toBeGreaterThan(0);
    const trail = await w.reader.audit.list(instanceId);
    expect(trail.filter((e) => e.action === "notification.sent")).toHaveLength(expected.length);
  }, 120_000);

  it("decide throwing a non-transient error: RecordFailure audits it and backs off; once fixed, the instance goes on", async () => {
    // Prepare: decide is broken for a virtual day from 12 March 07:30 Copenhagen, half an hour
    // before the schools' P3D reminders are due.
    const brokenFrom = Temporal.Instant.from("2024-03-12T06:30:00Z");
    const brokenUntil = brokenFrom.add({ hours: 24 });
    let clockRef: { now(): Temporal.Instant } | undefined;
    let thrown = 0;
    const w = await world({
      start: BUSY_START,
      wrap: {
        decide: (inner: LambdaFn) => async (payload) => {
          const now = clockRef?.now();
          if (
            now &&
            Temporal.Instant.compare(now, brokenFrom) >= 0 &&
            Temporal.Instant.compare(now, brokenUntil) < 0
          ) {
            thrown++;
            throw new TypeError("Cannot read properties of undefined (reading 'dueAt')");
          }
          return inner(payload);
        },
      },
    });
    clockRef = w.clock;
    const definition = busyWorkflow("decide-throws");
    const instanceId = await w.startInstance(definition, { units: [FORVALTNING, ...SCHOOLS] });

    // Act
    await w.engine.run({ until: BUSY_UNTIL });

    // Assess: each failure is in the audit trail, with growing backoff; none retried as transient.
    const trail = await w.reader.audit.list(instanceId);
    const failures = trail.filter((e) => e.action === LOOP_FAILED);
    expect(thrown).toBe(7);
    expect(failures.map((e) => e.details?.retryInSeconds)).toEqual([
      60, 300, 1800, 7200, 21600, 43200, 86400,
    ]);
    expect(failures.map((e) => e.details?.failuresInARow)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(failures[0]?.details).toMatchObject({
      error: "TypeError",
      cause: "TypeError: Cannot read properties of undefined (reading 'dueAt')",
      giveUp: false,
    });
    expect(failures[0]?.at).toBe("2024-03-12T07:00:00Z");
    const caught = w.events.filter((e) => e.type === "StateCaught" && e.error !== "States.Timeout");
    expect(caught).toHaveLength(7);
    expect(caught.every((e) => e.type === "StateCaught" && e.state === STATE.decide)).toBe(true);
    expect(w.events.some((e) => e.type === "StateRetried")).toBe(false);
    // It went on once the backoff after the last failure ran out: the P3D reminders that fell due
    // while decide was broken went out then, once each, and the rest of the timeline on time.
    const last = failures.at(-1) as AuditEntry;
    const recoveredAt = Temporal.Instant.from(last.at).add({ seconds: Number(last.details?.retryInSeconds) });
    expect(Temporal.Instant.compare(recoveredAt, brokenUntil)).toBeGreaterThan(0);
    const sentEntries = trail.filter((e) => e.action === "notification.sent");
    const lateP3d = sentEntries.filter((e) => String(e.details?.notificationKey).includes("/plan/"));
    const p3d = lateP3d.filter((e) => String(e.details?.notificationKey).includes("/reminder/P3D/"));
    expect(p3d.map((e) => e.at)).toEqual(SCHOOLS.map(() => recoveredAt.toString()));
    expect((await w.reader.instances.get(instanceId))?.status).toBe("running");
    const expected = expectedKeys(definition, instanceId, [FORVALTNING, ...SCHOOLS]);
    expect(await sentKeys(w.reader, instanceId)).toEqual(expected);
    const keys = sentEntries.map((e) => e.details?.notificationKey);
    expect(new Set(keys).size).toBe(keys.length);
  }, 120_000);
});

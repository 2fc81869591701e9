/**
 * SES faults while the real instance loop runs: throttling and rejection answered by a scripted
 * HTTP handler inside a real SESv2Client. Each time: what sendWithRetry and the state machine did
 * (back off, retry, give up), what the audit trail says, and that no notification was lost or sent
 * twice.
 */
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { describe, expect, it } from "vitest";
import { LOOP_FAILED } from "../../shared/app/record-failure.ts";
import { STATE, TRANSIENT_ERROR_NAME } from "../../shared/loop/asl.ts";
import { SesV2Transport } from "../../shared/mail/transport.ts";
import { type Workflow, WorkflowSchema } from "../../shared/model/schema.ts";
import type { AuditEntry } from "../../shared/store/records.ts";
import { FORVALTNING, sentKeys, worldsClosedAfterEach } from "./faults-support.ts";
import { isWakeUp } from "./loop-world.ts";

const world = worldsClosedAfterEach();

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
      w.events.filter((e) => e.type === "StateRetried" || (e.type === "StateCaught" && !isWakeUp(e.error))),
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
      [STATE.step, TRANSIENT_ERROR_NAME],
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
      w.events.filter((e) => e.type === "StateRetried" || (e.type === "StateCaught" && !isWakeUp(e.error))),
    ).toEqual([]);
    expect((await w.reader.instances.get(instanceId))?.status).toBe("running");
  });
});

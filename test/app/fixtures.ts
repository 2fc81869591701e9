/**
 * A seeded world for the instance-loop use cases: one school in the directory (leader and
 * manager), a workflow with a fan-out milestone due 31 October 2024, and a running instance of it.
 * Mail goes to a real FileOutboxTransport in a temp folder and is parsed back with mailparser.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ParsedMail, simpleParser } from "mailparser";
import * as nodeIcal from "node-ical";
import type { Decided } from "../../shared/app/decide-step.ts";
import { DefinitionCache } from "../../shared/app/definitions.ts";
import type { NotifyDeps } from "../../shared/app/notify.ts";
import type { AppSettings, Signaller } from "../../shared/app/ports.ts";
import type { LinkKeyProvider } from "../../shared/links/keys.ts";
import type { ParkInput } from "../../shared/loop/contract.ts";
import { FileOutboxTransport, type MailTransport, type OutgoingMail } from "../../shared/mail/transport.ts";
import { type Workflow, WorkflowSchema } from "../../shared/model/schema.ts";
import type { Stores } from "../../shared/store/index.ts";
import type { Clock } from "../../shared/time/clock.ts";

/** 08:00 in Copenhagen (CET) on Monday 28 October 2024: the P3D reminder's moment. */
export const P3D_AT = "2024-10-28T07:00:00Z";
/** 08:00 on the due day: the P0D reminder. */
export const P0D_AT = "2024-10-31T07:00:00Z";
/** 23:59 Copenhagen on 31 October 2024. */
export const DUE_AT = "2024-10-31T22:59:00Z";

export const LEADER = { name: "Mette Hansen", email: "mette.hansen@ishoj.example" };
export const MANAGER = { name: "Lars Jensen", email: "lars.jensen@ishoj.example" };

export const SETTINGS: AppSettings = {
  publicBaseUrl: "https://fristflow.ishoj.example/",
  mailFrom: "fristflow@ishoj.example",
  organisation: "Ishøj Kommune",
};

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function schoolWorkflow(id: string): Workflow {
  return WorkflowSchema.parse({
    id,
    title: "Stærke fællesskaber",
    milestones: [
      {
        id: "handleplan",
        title: "Lokal handleplan",
        description: "Skriv skolens lokale handleplan.",
        forEach: ["skole"],
        due: "2024-10-31",
      },
    ],
  });
}

export interface Seeded {
  instanceId: string;
  workflowId: string;
  unitId: string;
  occurrenceKey: string;
}

/** A workflow version, a school with leader and manager, and a running instance over that school. */
export async function seedInstance(stores: Stores, options: { manager?: boolean } = {}): Promise<Seeded> {
  const workflowId = uniqueId("wf");
  const unitId = uniqueId("skole");
  await stores.workflows.putVersion({
    workflowId,
    source: "test",
    definition: schoolWorkflow(workflowId),
    createdBy: "admin",
  });
  await stores.units.put({
    id: unitId,
    name: "Vejleåskolen",
    type: "skole",
    leader: LEADER,
    ...(options.manager === false ? {} : { manager: MANAGER }),
  });
  const instanceId = uniqueId("inst");
  await stores.instances.create({
    instanceId,
    workflowId,
    workflowVersion: 1,
    startAt: "2024-08-31T22:00:00Z",
    params: {},
    units: [{ id: unitId, type: "skole", name: "Vejleåskolen" }],
    createdBy: "admin",
  });
  return { instanceId, workflowId, unitId, occurrenceKey: `handleplan/${unitId}/0` };
}

export function execution(id = "arn:aws:states:eu-north-1:1:execution:loop:first") {
  return { id, startedAt: "2024-09-01T06:00:00Z" };
}

/** A key provider with a fixed random key, so a test can verify the links it finds in mails. */
export function fixedLinkKey(): LinkKeyProvider & { key: Buffer } {
  const key = randomBytes(32);
  return { key, getKey: async () => key };
}

export interface Outbox {
  dir: string;
  transport: FileOutboxTransport;
  mails(): Promise<ParsedMail[]>;
  remove(): Promise<void>;
}

export async function createOutbox(clock: Clock): Promise<Outbox> {
  const dir = await mkdtemp(join(tmpdir(), "fristflow-outbox-"));
  return {
    dir,
    transport: new FileOutboxTransport(dir, undefined, clock),
    mails: async () => {
      const files = (await readdir(dir)).filter((f) => f.endsWith(".eml")).sort();
      return Promise.all(files.map(async (f) => simpleParser(await readFile(join(dir, f)))));
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A transport that fails its first `failures` sends with `error`, then delegates. */
export function flakyTransport(
  inner: MailTransport,
  failures: number,
  error: () => Error,
): MailTransport & { calls: number } {
  const flaky = {
    name: inner.name,
    calls: 0,
    async send(message: OutgoingMail) {
      flaky.calls += 1;
      if (flaky.calls <= failures) throw error();
      return inner.send(message);
    },
  };
  return flaky;
}

/** SES's answer to a sending rate above the account's quota. */
export function throttled(): Error {
  return Object.assign(new Error("Maximum sending rate exceeded."), {
    name: "TooManyRequestsException",
    $metadata: { httpStatusCode: 429 },
  });
}

/** SES refusing the message for good (quotes the address, as SES does). */
export function rejected(): Error {
  return Object.assign(new Error(`Email address is not verified: ${LEADER.email}`), {
    name: "MessageRejected",
    $metadata: { httpStatusCode: 400 },
  });
}

export function notifyDeps(
  stores: Stores,
  clock: Clock,
  transport: MailTransport,
  linkKey: LinkKeyProvider,
  extra: Partial<NotifyDeps> = {},
): NotifyDeps {
  return {
    ...stores,
    clock,
    settings: SETTINGS,
    transport,
    linkKey,
    sleep: async () => {},
    random: () => 0.5,
    definitions: new DefinitionCache(),
    ...extra,
  };
}

/** Stands for Step Functions' SendTaskSuccess/Failure, which cannot run here: records every signal. */
export function recordingSignaller(): Signaller & {
  wakes: { taskToken: string; reason: string }[];
  finishes: { taskToken: string; reason: string }[];
  failures: { taskToken: string; error: string }[];
} {
  const wakes: { taskToken: string; reason: string }[] = [];
  const finishes: { taskToken: string; reason: string }[] = [];
  const failures: { taskToken: string; error: string }[] = [];
  return {
    wakes,
    finishes,
    failures,
    wake: async (taskToken, payload) => {
      wakes.push({ taskToken, reason: payload.reason });
    },
    finish: async (taskToken, reason) => {
      finishes.push({ taskToken, reason });
    },
    fail: async (taskToken, error) => {
      failures.push({ taskToken, error });
    },
  };
}

export function calendarEvents(mail: ParsedMail): nodeIcal.VEvent[] {
  const attachment = mail.attachments.find((a) => a.contentType === "text/calendar");
  if (!attachment) throw new Error("no text/calendar attachment");
  return Object.values(nodeIcal.sync.parseICS(attachment.content.toString("utf8"))).filter(
    (c): c is nodeIcal.VEvent => c.type === "VEVENT",
  );
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`);
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** What the Sleep state hands park after a step that decided `decided`. */
export function sleepInput(
  decided: Decided,
  taskToken: string,
  overrides: Partial<ParkInput> = {},
): ParkInput {
  return {
    instanceId: decided.instance.instanceId,
    rev: decided.instance.rev,
    done: decided.decision.done,
    continueAsNew: decided.decision.continueAsNew,
    execution: decided.execution,
    taskToken,
    ...overrides,
  };
}

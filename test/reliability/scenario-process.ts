/**
 * The resumable scenario (infra/local/scenario.ts) as a child process that a test can kill -9,
 * and what a test reads back from its data folder afterwards: milestone states, sent
 * notifications, the audit trail and the .eml files of the outbox.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, startDynamoDbLocal } from "../../infra/local/dynamodb.ts";
import { HOLD_AFTER_ENV, SCENARIO_INSTANCES } from "../../infra/local/scenario.ts";
import { TABLE_NAME } from "../../infra/local/stack.ts";
import { dynamoStores } from "../../shared/store/dynamo/index.ts";
import { keys, SK_NOTIFICATION_PREFIX } from "../../shared/store/keys.ts";
import type { NotificationRecord } from "../../shared/store/records.ts";
import { systemClock } from "../../shared/time/clock.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

export interface ScenarioLine {
  event: string;
  now?: string;
  [key: string]: unknown;
}

export interface ScenarioProcess {
  child: ChildProcess;
  lines: ScenarioLine[];
  stderr: () => string;
  /** Resolves with the first line of this event; rejects if the process exits first. */
  waitFor(event: string): Promise<ScenarioLine>;
  /** Resolves with the exit code (null when killed) once the process and its DynamoDB Local are gone. */
  exited: Promise<number | null>;
  /** kill -9 of the whole process group: the Node process and the Java DynamoDB Local it started. */
  kill(): Promise<void>;
}

/**
 * Spawns `node --import tsx infra/local/scenario.ts <dataDir> <until>` in its own process group,
 * so one kill -9 takes the stack down as a power cut would, DynamoDB Local included. With
 * `holdAfterTransitions` the process stops dead after that many state transitions and prints
 * `held`: the moment to kill it.
 */
export function spawnScenario(
  dataDir: string,
  until: string,
  options: { holdAfterTransitions?: number } = {},
): ScenarioProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_NO_WARNINGS: "1" };
  delete env[HOLD_AFTER_ENV];
  if (options.holdAfterTransitions !== undefined) env[HOLD_AFTER_ENV] = String(options.holdAfterTransitions);
  const child = spawn(process.execPath, ["--import", "tsx", "infra/local/scenario.ts", dataDir, until], {
    cwd: REPO,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  const lines: ScenarioLine[] = [];
  const waiters: { event: string; resolve: (line: ScenarioLine) => void }[] = [];
  let buffered = "";
  let errText = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
      const text = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (!text.startsWith("{")) continue;
      const line = JSON.parse(text) as ScenarioLine;
      lines.push(line);
      for (const w of waiters.filter((x) => x.event === line.event)) w.resolve(line);
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    errText = (errText + chunk.toString("utf8")).slice(-8_000);
  });
  const pgid = child.pid;
  const exitedProcess = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  // The group is gone only when DynamoDB Local (a grandchild) has died too: it holds the data files.
  const exited = exitedProcess.then(async (code) => {
    if (pgid !== undefined) await groupGone(pgid);
    return code;
  });
  return {
    child,
    lines,
    stderr: () => errText,
    waitFor: (event) => {
      const seen = lines.find((l) => l.event === event);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ event, resolve });
        void exitedProcess.then((code) => {
          // Lines are parsed before "exit" fires; a waiter still here never got its line.
          setImmediate(() =>
            reject(new Error(`scenario exited (${code}) before '${event}':\n${errText.slice(-3_000)}`)),
          );
        });
      });
    },
    exited,
    kill: async () => {
      if (pgid !== undefined) {
        try {
          process.kill(-pgid, "SIGKILL");
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
        }
      }
      await exited;
    },
  };
}

async function groupGone(pgid: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    // A process of the group still lives (DynamoDB Local shutting down, or orphaned by a kill).
    if (i === 50) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`process group ${pgid} did not go away`);
}

export interface MilestoneSnapshot {
  status: string;
  dueAt: string | null;
  confirmedAt: string | null;
  confirmedBy: string | null;
}

export interface ScenarioState {
  /** instanceId -> status. */
  instances: Record<string, string>;
  /** `instanceId occurrenceKey` -> what the milestone item says. */
  milestones: Record<string, MilestoneSnapshot>;
  /** Notification keys whose item says sent, with when. */
  sent: Record<string, string>;
  /** Notification items claimed or released but never marked sent (e.g. a send cut off by a crash). */
  unsent: Record<string, string>;
  /** notification.sent audit entries per key, and the outbox file each one names. */
  auditSent: Record<string, { count: number; providerIds: string[] }>;
  /** .eml files per Message-ID. */
  emlByMessageId: Record<string, string[]>;
  /** For every notification item (sent or not): how many .eml files carry its Message-ID. */
  emlPerKey: Record<string, number>;
  audit: { instanceId: string; action: string; at: string }[];
}

/**
 * The Message-ID notify gives a notification's mail (shared/mail/compose.ts derives it from the
 * instance and the key, so a resend repeats it), with the local stack's sender domain.
 */
export function messageIdOf(notificationKey: string): string {
  const instanceId = notificationKey.slice(0, notificationKey.indexOf("/"));
  const hash = createHash("sha256")
    .update(JSON.stringify([instanceId, notificationKey]), "utf8")
    .digest("hex");
  return `<${hash.slice(0, 40)}@fristflow.localhost>`;
}

/** Every notification item of an instance, whatever its status (the store only lists sent ones). */
async function notificationItems(doc: DynamoDBDocumentClient, instanceId: string) {
  const items: NotificationRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: TABLE_NAME,
        ConsistentRead: true,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: {
          ":pk": keys.instancePartition(instanceId),
          ":prefix": SK_NOTIFICATION_PREFIX,
        },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...((page.Items ?? []) as NotificationRecord[]));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  // Markers of decide's own (confirmation.ignored) are not mails.
  return items.filter((n) => !n.notificationKey.startsWith("marker:"));
}

/** Opens the scenario's data folder with its own DynamoDB Local and reads everything the checks need. */
export async function readScenarioState(dataDir: string): Promise<ScenarioState> {
  const dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, "dynamodb") });
  const doc = createDocumentClient(dynamo.endpoint);
  try {
    const stores = dynamoStores(doc, TABLE_NAME, systemClock);
    const state: ScenarioState = {
      instances: {},
      milestones: {},
      sent: {},
      unsent: {},
      auditSent: {},
      emlByMessageId: {},
      emlPerKey: {},
      audit: [],
    };
    for (const { instanceId } of SCENARIO_INSTANCES) {
      state.instances[instanceId] = (await stores.instances.get(instanceId))?.status ?? "missing";
      for (const m of await stores.instances.listMilestones(instanceId)) {
        state.milestones[`${instanceId} ${m.occurrenceKey}`] = {
          status: m.status,
          dueAt: m.dueAt ?? null,
          confirmedAt: m.confirmedAt ?? null,
          // Link ids are random by design (unguessable), so two runs agree on who, not on which link.
          confirmedBy: m.confirmedBy?.replace(/ via link [A-Za-z0-9_-]+$/, " via link") ?? null,
        };
      }
      for (const n of await notificationItems(doc, instanceId)) {
        if (n.status === "sent") state.sent[n.notificationKey] = n.sentAt ?? "?";
        else state.unsent[n.notificationKey] = n.status;
      }
      for (const entry of await stores.audit.list(instanceId)) {
        state.audit.push({ instanceId, action: entry.action, at: entry.at });
        if (entry.action !== "notification.sent") continue;
        const key = String(entry.details?.notificationKey);
        const seen = state.auditSent[key] ?? { count: 0, providerIds: [] };
        seen.count += 1;
        seen.providerIds.push(String(entry.details?.providerId));
        state.auditSent[key] = seen;
      }
    }
    const outbox = join(dataDir, "outbox");
    for (const file of (await readdir(outbox)).filter((f) => f.endsWith(".eml")).sort()) {
      const head = (await readFile(join(outbox, file), "utf8")).slice(0, 4_000);
      const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? `(none in ${file})`;
      const files = state.emlByMessageId[messageId] ?? [];
      files.push(file);
      state.emlByMessageId[messageId] = files;
    }
    for (const key of [...Object.keys(state.sent), ...Object.keys(state.unsent)]) {
      state.emlPerKey[key] = state.emlByMessageId[messageIdOf(key)]?.length ?? 0;
    }
    return state;
  } finally {
    doc.destroy();
    await dynamo.stop();
  }
}

/**
 * The HTTP app served for real (Node, port 0, 127.0.0.1) over whatever stores it is given, with
 * recording stand-ins for Step Functions (signaller, starter) and the logger. Tests talk to it
 * with fetch. Two flavours build on it: test/http/harness.ts over a DynamoDB Local table
 * (integration) and test/http/memory-harness.ts over the in-memory adapters (unit); the helpers
 * below work on either.
 */

import { request as httpRequest } from "node:http";
import { localLogin, serveLocal } from "../../infra/local/web-server.ts";
import { type AttemptLimits, DEFAULT_ATTEMPT_LIMITS } from "../../shared/app/attempt-policy.ts";
import { ensureLocalUsers } from "../../shared/app/people.ts";
import type { LoopStarter, Signaller } from "../../shared/app/ports.ts";
import { createHttpApp, type HttpLogger } from "../../shared/http/app.ts";
import { createConfirmLink, linkExpiry } from "../../shared/links/confirm-link.ts";
import type { LinkKeyProvider } from "../../shared/links/keys.ts";
import type { MailTransport } from "../../shared/mail/transport.ts";
import type { GroupRoles } from "../../shared/model/group-roles.ts";
import { loadWorkflow } from "../../shared/model/load.ts";
import type { LocalUser } from "../../shared/model/people.ts";
import type { Unit, Workflow } from "../../shared/model/schema.ts";
import type { Stores } from "../../shared/store/ports.ts";
import type { ManualClock } from "../../shared/time/clock.ts";
import { plan } from "../../shared/timeline/plan.ts";

export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
/** 32 fixed bytes: links made in a test verify against the app's key. */
export const LINK_KEY = Buffer.alloc(32, 7);

export interface LogEntry {
  level: "info" | "warn" | "error";
  message: string;
  attributes: Record<string, unknown>;
}

/** What the app is served over: every port, and a way to throw it away. */
export interface HarnessTable {
  stores: Stores;
  drop(): Promise<void>;
}

export interface AppHarness<T extends HarnessTable = HarnessTable> {
  url: string;
  /** The same app the server runs, for adapters other than Node (the Lambda handler). */
  app: ReturnType<typeof createHttpApp>;
  table: T;
  clock: ManualClock;
  wakes: { token: string; payload: { reason: string } }[];
  /** Task tokens completed to end the loop, as a finishing confirmation does. */
  ends: { token: string; reason: string }[];
  starts: string[];
  logs: LogEntry[];
  /** Replaced per test to make key loading fail (a 500 path). */
  linkKey: { fail: boolean };
  /** With `people`: the users the embedded OpenID provider logs in (in the table too). */
  users: LocalUser[];
  /** Everything stored, in a stable order: "nothing changed" means this is equal before and after. */
  snapshot(): Promise<unknown[]>;
  close(): Promise<void>;
}

/**
 * Tests of other things make many bad attempts from 127.0.0.1 with one clock (wrong tokens, forged
 * links); the brute-force tests (test/people/attempts.test.ts) pass the real limits.
 */
export const LENIENT_LIMITS: AttemptLimits = {
  ...DEFAULT_ATTEMPT_LIMITS,
  perAddress: 10_000,
  perAccount: 10_000,
};

/** One user per role, as the local stack's users file starts; passwords fixed for the tests. */
export const TEST_USERS: LocalUser[] = [
  {
    id: "anna",
    name: "Anna Administrator",
    email: "anna@kommune.example.dk",
    roles: ["administrator"],
    password: "anna-password-1",
  },
  {
    id: "erik",
    name: "Erik Redaktør",
    email: "erik@kommune.example.dk",
    roles: ["editor"],
    password: "erik-password-1",
  },
  {
    id: "sara",
    name: "Sara Sagsbehandler",
    email: "sara@kommune.example.dk",
    roles: ["caseworker"],
    password: "sara-password-1",
  },
  {
    id: "vera",
    name: "Vera Læser",
    email: "vera@kommune.example.dk",
    roles: ["viewer"],
    password: "vera-password-1",
  },
];

/**
 * Serves the app over `table` (made with `clock`); `close` stops the server and drops the table.
 * `people: true` serves it as the local stack does, with the embedded OpenID provider under /oidc
 * and TEST_USERS in it and in the table, so tests log in the way staff do.
 */
export async function startAppHarness<T extends HarnessTable>(
  clock: ManualClock,
  table: T,
  snapshot: (table: T) => Promise<unknown[]>,
  options: {
    people?: boolean;
    groupRoles?: GroupRoles;
    attemptLimits?: AttemptLimits;
    mailTransport?: MailTransport;
    /** As a deployment behind its own proxy: X-Forwarded-For names the client. */
    trustForwardedFor?: boolean;
  } = {},
): Promise<AppHarness<T>> {
  const wakes: AppHarness["wakes"] = [];
  const ends: AppHarness["ends"] = [];
  const starts: string[] = [];
  const logs: LogEntry[] = [];
  const linkKey = { fail: false };
  const signaller: Signaller = {
    wake: async (token, payload) => {
      wakes.push({ token, payload });
    },
    // A confirmation that finishes its instance ends the parked execution this way.
    finish: async (token, reason) => {
      ends.push({ token, reason });
    },
    fail: async () => {
      throw new Error("the HTTP app never fails a task token: only park continues as new");
    },
  };
  const starter: LoopStarter = {
    start: async (instanceId) => {
      starts.push(instanceId);
    },
  };
  const keys: LinkKeyProvider = {
    getKey: async () => {
      if (linkKey.fail) throw new Error("Secrets Manager is unreachable (test)");
      return LINK_KEY;
    },
  };
  const record =
    (level: LogEntry["level"]) =>
    (message: string, attributes: Record<string, unknown>): void => {
      logs.push({ level, message, attributes });
    };
  const logger: HttpLogger = { info: record("info"), warn: record("warn"), error: record("error") };
  // The OpenID login's redirect URI is on the server's address, known once it listens.
  const settings = {
    publicBaseUrl: "http://localhost",
    mailFrom: "noreply@example.dk",
    organisation: "Testkommune",
  };
  const users = options.people ? TEST_USERS.map((u) => ({ ...u })) : [];
  const login = options.people ? localLogin(users) : null;
  if (options.people) await ensureLocalUsers(table.stores, users);
  const app = createHttpApp({
    ...(login === null ? {} : { oidc: login.login }),
    ...(options.groupRoles === undefined ? {} : { groupRoles: options.groupRoles }),
    ...table.stores,
    clock,
    signaller,
    starter,
    settings,
    linkKey: keys,
    adminToken: async () => ADMIN_TOKEN,
    logger,
    attemptLimits: options.attemptLimits ?? LENIENT_LIMITS,
    ...(options.mailTransport === undefined ? {} : { mailTransport: options.mailTransport }),
    ...(options.trustForwardedFor === undefined ? {} : { trustForwardedFor: options.trustForwardedFor }),
  });
  const server = await serveLocal(app.fetch, 0, login);
  if (options.people) settings.publicBaseUrl = server.url;
  return {
    url: server.url,
    users,
    app,
    table,
    clock,
    wakes,
    ends,
    starts,
    logs,
    linkKey,
    snapshot: () => snapshot(table),
    close: async () => {
      await server.close();
      await table.drop();
    },
  };
}

export const WORKFLOW_YAML = `id: skoleopfoelgning
title:
  da: Opfølgning på skoler
  en: School follow-up
parameters:
  sag:
    type: string
    required: false
milestones:
  - id: status
    title:
      da: Statusrapport
      en: Status report
    description: Kort status på indsatsen
    due: "2024-06-01"
    forEach: [skole]
  - id: plan
    title: "<script>alert('x')</script> & plan"
    owner: unit:forvaltning
    due: P2M
`;

export const UNITS: Unit[] = [
  {
    id: "skole-a",
    name: "Skole A",
    type: "skole",
    leader: { name: "Lene Leder", email: "lene@skole-a.example.dk" },
    manager: { name: "Mads Chef", email: "mads@example.dk" },
  },
  {
    id: "skole-b",
    name: "Skole B",
    type: "skole",
    leader: { name: "Bo Leder", email: "bo@skole-b.example.dk" },
  },
  {
    id: "forvaltning",
    name: "Børne- og Ungeforvaltningen",
    type: "forvaltning",
    leader: { name: "Frida Direktør", email: "frida@example.dk" },
  },
];

export function testWorkflow(): Workflow {
  const loaded = loadWorkflow(WORKFLOW_YAML, "test.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.value;
}

let counter = 0;

/**
 * A running instance of the test workflow over both schools, its milestone states synced the
 * way decide() would, and one signed link per occurrence (as mailed to its owner).
 */
export async function instanceWithLinks(h: AppHarness): Promise<{
  instanceId: string;
  links: Map<string, { id: string; sig: string; linkId: string; expiresAt: number }>;
}> {
  const definition = testWorkflow();
  if ((await h.table.stores.workflows.get(definition.id, 1)) === null) {
    await h.table.stores.workflows.putVersion({
      workflowId: definition.id,
      source: WORKFLOW_YAML,
      definition,
      createdBy: "test",
    });
  }
  counter += 1;
  const instanceId = `skoleopfoelgning-test${counter}`;
  const units = UNITS.filter((u) => u.type === "skole").map((u) => ({
    id: u.id,
    type: u.type,
    name: u.name,
  }));
  const planned = plan(definition, "2024-04-01", {}, units);
  await h.table.stores.instances.create({
    instanceId,
    workflowId: definition.id,
    workflowVersion: 1,
    startAt: planned.startAt,
    params: {},
    units,
    createdBy: "test",
  });
  // As the step writes them: each milestone with its instance's workflow and unit names.
  await h.table.stores.instances.syncOccurrences(instanceId, planned.occurrences, undefined, {
    workflowId: definition.id,
    workflowVersion: 1,
    units,
  });
  const links = new Map<string, { id: string; sig: string; linkId: string; expiresAt: number }>();
  for (const o of planned.occurrences) {
    const link = createConfirmLink(
      {
        instanceId,
        occurrenceKey: o.key,
        recipient: o.unitId === null ? "unitLeader:forvaltning" : `unitLeader:${o.unitId}`,
        expiresAt: linkExpiry(o.plannedDueAt, h.clock.now()),
      },
      LINK_KEY,
    );
    links.set(o.key, { id: link.id, sig: link.sig, linkId: link.linkId, expiresAt: link.claims.expiresAt });
  }
  return { instanceId, links };
}

/** Parks the loop the way the park step does, at the instance's current rev. */
export async function park(h: AppHarness, instanceId: string, token: string): Promise<void> {
  const instance = await h.table.stores.instances.get(instanceId);
  if (instance === null) throw new Error(`no instance ${instanceId}`);
  const parked = await h.table.stores.tokens.park(instanceId, token, instance.rev, {
    startedAt: h.clock.now().toString(),
    loops: 1,
  });
  if (parked !== "parked") throw new Error("could not park");
}

export function confirmUrl(h: AppHarness, link: { id: string; sig: string }, extra = ""): string {
  return `${h.url}/confirm/${link.id}?sig=${encodeURIComponent(link.sig)}${extra}`;
}

/** What the page's form sends when the button is pressed. */
export function pressConfirm(
  h: AppHarness,
  link: { id: string; sig: string },
  lang?: string,
): Promise<Response> {
  return fetch(`${h.url}/confirm/${link.id}${lang === undefined ? "" : `?lang=${lang}`}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ sig: link.sig }).toString(),
  });
}

export function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`missing ${what}`);
  return value;
}

/**
 * POSTs a body the server refuses before reading it all, as the admin API: on a connection of its
 * own (the server answers and closes it), ignoring the EPIPE/ECONNRESET of the upload it cut off;
 * the answer is what counts.
 */
export function postOversized(
  h: AppHarness,
  path: string,
  body: string,
  type: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${h.url}${path}`,
      {
        method: "POST",
        agent: false,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": type },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE" && err.code !== "ECONNRESET") reject(err);
    });
    req.end(body);
  });
}

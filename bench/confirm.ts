/**
 * Confirm links under concurrency: `clients` concurrent clients on real HTTP for `seconds`
 * against the local stack's server, each opening (GET) and confirming (POST) links picked at
 * random from `links` milestones, so many links are confirmed by several clients at about the
 * same moment. The clients run in their own process (bench/load-client.ts).
 *
 * Preparation: a fan-out workflow (one milestone per unit) saved through the admin API, 10
 * units per instance, instances started through the admin API and run by the engine once (so
 * their milestones exist and their loops are parked, as in production); then one signed link
 * per milestone, created with createConfirmLink and stored, as notify would.
 *
 * Checked afterwards in the store: every milestone a client saw "confirmed" for is confirmed,
 * exactly one confirmation entry exists per confirmed milestone, no other milestone changed.
 *
 * Baseline: the same load against a trivial Hono app (GET returns a page, POST parses the form
 * and returns "ok") served the same way (@hono/node-server, same process as the stack).
 *
 * Per socket limit of the stack's DynamoDB client (`--max-sockets=50,200`; default: the stack's
 * own), a fresh stack runs all of it, and the bench prints throughput, latencies, the DynamoDB
 * requests' own time (which includes waiting for a socket) and the server's event-loop delay
 * during the load (monitorEventLoopDelay): the figures the default limit is chosen by. Before the
 * load, a probe counts the DynamoDB requests of one GET, one POST and a repeated POST, one at a
 * time on links of an instance of its own, by command and by the items they touch.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { LOCAL_DYNAMODB_MAX_SOCKETS } from "../infra/local/dynamodb.ts";
import type { ConfirmRun, ProbeFigures } from "./confirm-figures.ts";
import { confirmRun, UNITS_PER_INSTANCE } from "./confirm-load.ts";
import { printByLimit, printRun } from "./confirm-print.ts";
import { type BenchOptions, heading } from "./support.ts";

export interface ConfirmFigures {
  clients: number;
  links: number;
  instances: number;
  /** The stack's default socket limit (infra/local/dynamodb.ts), and the run made with it. */
  defaultMaxSockets: number;
  defaultRun: ConfirmRun;
  /** The probe of the default run. */
  probe: ProbeFigures;
  runs: ConfirmRun[];
}

export async function confirmBench(options: BenchOptions): Promise<ConfirmFigures> {
  const clients = options.clients;
  const instanceCount = Math.max(1, Math.ceil(options.links / UNITS_PER_INSTANCE));
  const links = instanceCount * UNITS_PER_INSTANCE;
  const limits = options.maxSockets.length > 0 ? options.maxSockets : [LOCAL_DYNAMODB_MAX_SOCKETS];
  heading(
    `Confirm links: ${clients} concurrent clients, ${options.seconds} s, GET + POST over ${links} milestones (real HTTP), DynamoDB sockets ${limits.join(", ")} (default ${LOCAL_DYNAMODB_MAX_SOCKETS})`,
  );
  const trivial = new Hono();
  trivial.get("/confirm/:id", (c) =>
    c.html("<!doctype html><title>ok</title><form method=post><button>ok</button></form>"),
  );
  trivial.post("/confirm/:id", async (c) => {
    await c.req.parseBody();
    return c.html("ok");
  });
  const baselineServer = await new Promise<{ close: () => Promise<void>; port: number }>((resolve) => {
    const server = serve({ fetch: trivial.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
  const runs: ConfirmRun[] = [];
  try {
    for (const maxSockets of limits) {
      const run = await confirmRun(options, maxSockets, instanceCount, baselineServer.port);
      printRun(run, clients);
      runs.push(run);
    }
  } finally {
    await baselineServer.close();
  }
  printByLimit(runs, clients);
  const defaultRun =
    runs.find((r) => r.maxSockets === LOCAL_DYNAMODB_MAX_SOCKETS) ?? (runs.at(-1) as ConfirmRun);
  return {
    clients,
    links,
    instances: instanceCount,
    defaultMaxSockets: LOCAL_DYNAMODB_MAX_SOCKETS,
    defaultRun,
    probe: defaultRun.probe,
    runs,
  };
}

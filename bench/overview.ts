/**
 * The overview's search with many deadlines (issue 14: "with 2,000 milestones across 40
 * instances, a filtered overview answers in under 0.5 s on this machine"). A benchmark, not a
 * timed test: `npm run bench -- --only=overview`.
 *
 * The local stack on DynamoDB Local (no data folder: a throwaway table), seeded through the store
 * ports by bench/overview-seed.ts: 40 instances × 25 units × 2 milestones = 2,000 open deadlines,
 * some overdue, some due this week, most later. Logged in with the admin token, as a browser
 * would be (a session cookie), one request at a time over real HTTP, it asks the overview for a
 * few filtered views in turn (one unit's overdue deadlines, a person, a case reference, the next
 * 30 days sorted by days overdue, page 3 of every deadline) after a warm-up of each, checks every
 * answer is a 200 with rows, and reports the median and p95. A trivial route (a fixed small page
 * from a Hono app served the same way in the same process) is measured in the same run beside it.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { startLocalStack } from "../infra/local/stack.ts";
import { seedOverview } from "./overview-seed.ts";
import { type BenchOptions, fmt, heading, line, percentile } from "./support.ts";
import type { OverviewInput } from "./targets.ts";

const INSTANCES = 40;
const UNITS = 25;

/** The filtered views asked for in turn, with the rows each must show at least. */
const VIEWS: { path: string; what: string }[] = [
  { path: "/?unit=inst-07&status=overdue", what: "one unit's overdue deadlines" },
  { path: "/?owner=leder+12", what: "one responsible person" },
  { path: "/?ref=SAG-2024-0031", what: "one case reference" },
  { path: "/?period=next30&sort=overdue&order=desc", what: "the next 30 days, by days overdue" },
  { path: "/?sort=due&order=desc&page=3", what: "every deadline, page 3" },
];

export interface OverviewFigures extends OverviewInput {
  seedSeconds: number;
  byView: { path: string; what: string; medianMs: number; rowsShown: number }[];
}

interface Session {
  cookie: string;
}

/** The admin-token login a browser makes: the form's nonce and cookie, then the post. */
async function login(url: string, token: string): Promise<Session> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const form = await fetch(`${url}/login`, { redirect: "manual" });
  keep(form);
  const nonce = /name="_login" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
  const posted = await fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: cookie(), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _login: nonce, token, next: "/" }).toString(),
  });
  keep(posted);
  await posted.text();
  if (posted.status !== 303) throw new Error(`the bench could not log in: ${posted.status}`);
  return { cookie: cookie() };
}

async function timed(
  url: string,
  session: Session | null,
): Promise<{ ms: number; status: number; body: string }> {
  const start = performance.now();
  const response = await fetch(url, {
    headers: session ? { cookie: session.cookie } : {},
    redirect: "manual",
  });
  const body = await response.text();
  return { ms: performance.now() - start, status: response.status, body };
}

function rowsShown(body: string): number {
  const section = body.split("<h2>").find((s) => s.startsWith("Frister, der passer")) ?? "";
  return section.split('<tr><th scope="row">').length - 1;
}

async function trivialServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = new Hono();
  app.get("/", (c) => c.html("<!doctype html><title>ok</title><p>ok</p>"));
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

export async function overviewBench(options: BenchOptions): Promise<OverviewFigures> {
  const requests = options.quick ? 20 : 50;
  heading(
    `Overview search: ${INSTANCES * UNITS * 2} milestones across ${INSTANCES} instances, ${requests} filtered requests one at a time (real HTTP, DynamoDB Local)`,
  );
  const stack = await startLocalStack({ port: 0, logLevel: "SILENT", seed: false });
  const trivial = await trivialServer();
  try {
    const seedStart = performance.now();
    const seeded = await seedOverview(stack.stores, stack.clock.now(), {
      instances: INSTANCES,
      units: UNITS,
      spreadDays: 2,
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    line(
      "seeded",
      `${seeded.milestones} milestones, ${seeded.instanceIds.length} instances in ${fmt(seedSeconds)} s`,
    );
    const session = await login(stack.url, stack.adminToken);

    // Warm-up: each view and the trivial route a few times (JIT, caches of workflow versions).
    for (const view of VIEWS) for (let i = 0; i < 3; i += 1) await timed(`${stack.url}${view.path}`, session);
    for (let i = 0; i < 20; i += 1) await timed(trivial.url, null);

    const samples: number[] = [];
    const perView = new Map<string, { ms: number[]; rows: number }>(
      VIEWS.map((v) => [v.path, { ms: [], rows: 0 }]),
    );
    for (let i = 0; i < requests; i += 1) {
      const view = VIEWS[i % VIEWS.length] ?? VIEWS[0];
      if (view === undefined) break;
      const answer = await timed(`${stack.url}${view.path}`, session);
      const shown = rowsShown(answer.body);
      if (answer.status !== 200 || shown === 0) {
        throw new Error(`${view.path} answered ${answer.status} with ${shown} rows`);
      }
      samples.push(answer.ms);
      const entry = perView.get(view.path);
      if (entry) {
        entry.ms.push(answer.ms);
        entry.rows = shown;
      }
    }
    const trivialSamples: number[] = [];
    for (let i = 0; i < requests; i += 1) trivialSamples.push((await timed(trivial.url, null)).ms);

    const figures: OverviewFigures = {
      milestones: seeded.milestones,
      instances: seeded.instanceIds.length,
      requests,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      filtered: { medianMs: percentile(samples, 50), p95Ms: percentile(samples, 95) },
      trivial: { medianMs: percentile(trivialSamples, 50), p95Ms: percentile(trivialSamples, 95) },
      byView: VIEWS.map((v) => ({
        path: v.path,
        what: v.what,
        medianMs: percentile(perView.get(v.path)?.ms ?? [], 50),
        rowsShown: perView.get(v.path)?.rows ?? 0,
      })),
    };
    for (const v of figures.byView) {
      line(`  ${v.what}`, `median ${fmt(v.medianMs, 0)} ms, ${v.rowsShown} rows shown  ${v.path}`);
    }
    line(
      "filtered overview",
      `median ${fmt(figures.filtered.medianMs, 0)} ms, p95 ${fmt(figures.filtered.p95Ms, 0)} ms`,
    );
    line(
      "trivial route (same run)",
      `median ${fmt(figures.trivial.medianMs, 2)} ms, p95 ${fmt(figures.trivial.p95Ms, 2)} ms`,
    );
    const met = figures.filtered.p95Ms <= 500;
    line("target: filtered overview < 0.5 s (p95)", met ? "met" : "NOT MET");
    return figures;
  } finally {
    await trivial.close();
    await stack.stop();
  }
}

/**
 * The load generator of the confirm-link benchmark, run as its own process (so the clients do not
 * share an event loop, or a core's time slice, with the server they measure):
 *
 *   node --import tsx bench/load-client.ts < config.json
 *
 * `clients` loops run for `seconds`; each picks a random URL, GETs it (the page a person opens),
 * then POSTs it as the page's form does. Prints one JSON line with latencies and outcomes.
 */
import { Agent, request } from "node:http";
import { seeded } from "../infra/local/seeded-random.ts";

export interface LoadConfig {
  urls: string[];
  clients: number;
  seconds: number;
  seed: number;
}

export interface LoadResult {
  get: number[];
  /** Each client's first GET (also in `get`): it opens the client's connection. */
  firstGet: number[];
  post: number[];
  statuses: Record<string, number>;
  errors: string[];
  confirmed: number;
  already: number;
  otherBodies: number;
  seconds: number;
  /** Per URL index: how many POSTs answered "confirmed" (must be ≤ 1 each). */
  confirmedByUrl: Record<number, number>;
}

function call(
  agent: Agent,
  method: "GET" | "POST",
  url: URL,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        method,
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${method === "GET" ? url.search : ""}`,
        headers:
          body === undefined
            ? {}
            : {
                "content-type": "application/x-www-form-urlencoded",
                "content-length": Buffer.byteLength(body),
              },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export async function runLoad(config: LoadConfig): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: config.clients });
  const random = seeded(config.seed);
  const urls = config.urls.map((u) => new URL(u));
  const result: LoadResult = {
    get: [],
    firstGet: [],
    post: [],
    statuses: {},
    errors: [],
    confirmed: 0,
    already: 0,
    otherBodies: 0,
    seconds: 0,
    confirmedByUrl: {},
  };
  const count = (key: string) => {
    result.statuses[key] = (result.statuses[key] ?? 0) + 1;
  };
  const started = performance.now();
  const endAt = started + config.seconds * 1000;
  const client = async () => {
    let first = true;
    while (performance.now() < endAt) {
      const index = Math.floor(random() * urls.length);
      const url = urls[index] as URL;
      try {
        let t = performance.now();
        const page = await call(agent, "GET", url);
        result.get.push(performance.now() - t);
        if (first) result.firstGet.push(performance.now() - t);
        first = false;
        count(`GET ${page.status}`);
        if (page.status !== 200) result.errors.push(`GET ${page.status}: ${page.text.slice(0, 200)}`);
        const sig = url.searchParams.get("sig") ?? "";
        t = performance.now();
        const posted = await call(agent, "POST", url, new URLSearchParams({ sig }).toString());
        result.post.push(performance.now() - t);
        count(`POST ${posted.status}`);
        if (posted.status !== 200) {
          result.errors.push(`POST ${posted.status}: ${posted.text.slice(0, 200)}`);
        } else if (/Allerede bekræftet|Already confirmed/.test(posted.text)) {
          result.already++;
        } else if (/Tak –|Thank you|^ok$/.test(posted.text)) {
          result.confirmed++;
          result.confirmedByUrl[index] = (result.confirmedByUrl[index] ?? 0) + 1;
        } else {
          result.otherBodies++;
        }
      } catch (err) {
        result.errors.push(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: config.clients }, client));
  result.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return result;
}

// Run as a script: read the config from stdin (thousands of URLs exceed an argument's limit),
// print the result as one JSON line.
if (process.argv[1]?.endsWith("load-client.ts")) {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const config = JSON.parse(Buffer.concat(chunks).toString("utf8")) as LoadConfig;
  const result = await runLoad(config);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

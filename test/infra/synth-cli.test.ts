/**
 * `npm run synth` as a fresh checkout runs it: the pinned aws-cdk CLI (2.1148.1) reads what the
 * pinned aws-cdk-lib (2.276.0) writes, the real handlers bundle with the local esbuild, cdk-nag
 * passes, and nothing needs the network or Docker. Then each bundle is loaded by Node, the way
 * the Lambda runtime loads it.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REQUIRE_BANNER } from "../../infra/cdk/constructs/handler-function.ts";
import { REPO_ROOT } from "../../infra/cdk/fristflow-stack.ts";
import type { CfnResource } from "./support.ts";

const SYNTH_TIMEOUT_MS = 180_000;

let outdir: string;
let result: { code: number | null; output: string; ms: number };

function run(command: string, args: string[]): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, CI: "true" } });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), "fristflow-synth-"));
  result = await run("npm", ["run", "--silent", "synth", "--", "--output", outdir]);
}, SYNTH_TIMEOUT_MS);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("npm run synth", () => {
  it("exits 0 and writes the Fristflow template", () => {
    expect(result.code, result.output.slice(-4000)).toBe(0);
    expect(existsSync(join(outdir, "Fristflow.template.json"))).toBe(true);
    // Recorded so the synth time can be read from a verbose test run.
    console.info(`npm run synth took ${(result.ms / 1000).toFixed(1)} s`);
  });

  it("bundles each handler as an ESM index.mjs with its source map and the require banner", () => {
    const template = JSON.parse(readFileSync(join(outdir, "Fristflow.template.json"), "utf8"));
    const functions = Object.values(template.Resources as Record<string, CfnResource>).filter(
      (r) => r.Type === "AWS::Lambda::Function",
    );
    expect(functions).toHaveLength(4);
    const assets = readdirSync(outdir).filter((name) => name.startsWith("asset."));
    expect(assets).toHaveLength(4);
    for (const asset of assets) {
      const dir = join(outdir, asset);
      expect(readdirSync(dir).sort(), asset).toEqual(["index.mjs", "index.mjs.map"]);
      expect(readFileSync(join(dir, "index.mjs"), "utf8").startsWith(REQUIRE_BANNER), asset).toBe(true);
    }
  });

  it("produces bundles that load in Node and export a handler function", () => {
    const assets = readdirSync(outdir).filter((name) => name.startsWith("asset."));
    for (const asset of assets) {
      const bundle = join(outdir, asset, "index.mjs");
      // A fresh process: the bundle must stand alone, as in Lambda (no node_modules beside it).
      const loaded = spawnSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `const m = await import(${JSON.stringify(bundle)}); process.stdout.write(typeof m.handler);`,
        ],
        { cwd: tmpdir(), encoding: "utf8", timeout: 60_000 },
      );
      expect(loaded.stdout, `${asset}: ${loaded.stderr}`).toBe("function");
    }
  });
});

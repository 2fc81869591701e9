/**
 * The layer rules bite. dependency-cruiser, with the project's own .dependency-cruiser.cjs, runs on
 * the real tree (clean) and on test/layers/fixture/, a small tree laid out like the real one where
 * each file named for what it does wrong breaks one rule. The Biome plugin against the wall clock
 * lints a probe file at a path in the pure core of a scratch project. No DynamoDB, no network.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cruise, type ICruiseOptions, type IViolation } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const fixture = join(root, "test", "layers", "fixture");

let options: ICruiseOptions;
beforeAll(async () => {
  options = await extractDepcruiseOptions(join(root, ".dependency-cruiser.cjs"));
});

/** The violations dependency-cruiser finds in `folders` of `baseDir`, as rule, from and to. */
async function violations(baseDir: string, folders: string[]): Promise<[string, string, string][]> {
  const output = await cruise(
    folders,
    { ...options, baseDir },
    {},
    { tsConfig: extractTSConfig(join(root, "tsconfig.json")) },
  );
  if (typeof output.output === "string") throw new Error("expected a cruise result, got a report");
  const found: IViolation[] = output.output.summary.violations;
  // npm packages sit outside the fixture tree (../../../node_modules/…): name them by package.
  const short = (path: string) => path.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+)\/.*$/, "npm:$1");
  return found.map((v) => [v.rule.name, v.from, short(v.to)]);
}

describe("the layer rules (dependency-cruiser)", () => {
  it("the real tree keeps them, and every import resolves", async () => {
    const found = await violations(root, ["shared", "functions", "infra", "bin"]);

    expect(found).toEqual([]);
  });

  it("a pure module that imports I/O, the store or the polyfill fails with its layer's rule", async () => {
    const found = await violations(fixture, ["shared"]);

    expect(found.sort()).toEqual(
      [
        ["layer-model", "shared/model/calls-dynamodb.ts", "npm:@aws-sdk/client-dynamodb"],
        ["layer-time", "shared/time/serves-http.ts", "http"],
        ["layer-timeline", "shared/timeline/imports-polyfill.ts", "npm:temporal-polyfill"],
        ["layer-timeline", "shared/timeline/reads-files.ts", "fs/promises"],
        ["layer-timeline", "shared/timeline/sends-mail.ts", "npm:nodemailer"],
        ["layer-timeline", "shared/timeline/uses-store.ts", "shared/store/store.ts"],
        ["store-memory-no-aws", "shared/store/memory/wraps-dynamodb.ts", "npm:@aws-sdk/lib-dynamodb"],
        ["temporal-only-via-time", "shared/timeline/imports-polyfill.ts", "npm:temporal-polyfill"],
      ].sort(),
    );
  });

  it("reports a broken rule with the comment that says what the layer may import", async () => {
    const output = await cruise(["shared/timeline/reads-files.ts"], { ...options, baseDir: fixture });
    if (typeof output.output === "string") throw new Error("expected a cruise result, got a report");
    const rule = output.output.summary.ruleSetUsed?.forbidden?.find((r) => r.name === "layer-timeline");

    expect(rule?.comment).toBe(
      "shared/timeline may import only shared/errors, shared/retry, shared/html, shared/time, shared/model, zod, yaml, re2js. " +
        "Pass a port in, or move the import to a higher layer.",
    );
  });
});

/**
 * `biome lint` of `source` as the file at `path`, in a scratch project whose biome.json holds the
 * project's own plugins (same .grit files, same includes) and nothing else, so the result is the
 * plugins' alone. (`biome lint --stdin-file-path` prints no diagnostics, so a file it is.)
 */
async function biomeLint(path: string, source: string): Promise<{ code: number; output: string }> {
  const config = JSON.parse(await readFile(join(root, "biome.json"), "utf8")) as {
    plugins: { path: string; includes: string[] }[];
  };
  const plugins = config.plugins.map((p) => ({ ...p, path: resolve(root, p.path) }));
  const dir = await mkdtemp(join(tmpdir(), "fristflow-layers-"));
  try {
    await writeFile(
      join(dir, "biome.json"),
      JSON.stringify({ root: true, plugins, linter: { rules: { recommended: false } } }),
    );
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), source);
    const biome = join(root, "node_modules", ".bin", "biome");
    return await run(biome, ["lint", "--colors=off", path], dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs a command to its end: exit code and everything it printed. */
function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(command, args, { cwd }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      done({ code, output: `${stdout}${stderr}` });
    });
  });
}

describe("the pure core reads no real clock (Biome plugin .lint/no-wall-clock.grit)", () => {
  const message = "The pure core reads no real clock";

  it.each([
    [
      "Temporal.Now",
      'import { Temporal } from "../time/temporal.ts";\nexport const now = Temporal.Now.instant();\n',
    ],
    ["Date.now()", "export const now = Date.now();\n"],
    ["new Date()", "export const now = new Date();\n"],
    ["performance.now()", "export const now = performance.now();\n"],
  ])("%s in shared/timeline fails the lint", async (_what, source) => {
    const result = await biomeLint("shared/timeline/probe.ts", source);

    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toContain(message);
  });

  it.each(["shared/time/calendar.ts", "shared/model/probe.ts", "shared/loop/probe.ts"])(
    "covers the whole pure core: Date.now() in %s fails the lint",
    async (path) => {
      const result = await biomeLint(path, "export const now = Date.now();\n");

      expect(result.output).toContain(message);
    },
  );

  it("a Date built from a given instant is not a clock read", async () => {
    const source = "export const format = (ms: number) => new Date(ms).toISOString();\n";

    const result = await biomeLint("shared/timeline/probe.ts", source);

    expect(result.code, result.output).toBe(0);
  });

  it.each(["shared/time/clock.ts", "shared/app/probe.ts"])(
    "does not apply to %s (the system clock; outside the pure core)",
    async (path) => {
      const result = await biomeLint(path, "export const now = Date.now();\n");

      expect(result.code, result.output).toBe(0);
    },
  );
});

/**
 * The unit project stays fast and Java-free: no file in it reaches, through any chain of imports,
 * what starts or needs DynamoDB Local (the DynamoDB harness included) or the whole local stack. A
 * unit test may serve the app on 127.0.0.1 over the in-memory stores (test/http/memory-harness.ts):
 * that needs nothing but Node. Checked with
 * dependency-cruiser on the unit files as vitest.config.ts lists them; a new unit test that imports
 * the DynamoDB test table fails here, before it slows every `npm run test:unit` down.
 */
import { readdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { cruise } from "dependency-cruiser";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { describe, expect, it } from "vitest";
import { E2E_TESTS, INFRA_TESTS, UNIT_TESTS } from "../../vitest.config.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** What a unit test may not load, directly or not. */
const NEEDS_MORE_THAN_A_UNIT = [
  "test/support/dynamodb.ts",
  "test/support/global-setup.ts",
  "test/http/harness.ts",
  "infra/local/dynamodb.ts",
  "infra/local/stack.ts",
];

/** vitest's globs as used in vitest.config.ts: `**` for any folders, `*` within a name. */
function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .split("**/")
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"))
    .join("(?:.*/)?");
  return new RegExp(`^${pattern}$`);
}

async function testFiles(): Promise<string[]> {
  const entries = await readdir(join(root, "test"), { recursive: true });
  return entries
    .map((entry) => `test/${entry.split("\\").join("/")}`)
    .filter((path) => path.endsWith(".test.ts") && !path.includes("/fixture/"))
    .sort();
}

const matches = (globs: readonly string[], path: string) => globs.some((g) => globToRegExp(g).test(path));

describe("test levels", () => {
  it("puts every test file in exactly one of unit, e2e and infra, or else in integration", async () => {
    // Act
    const files = await testFiles();
    const doubled = files.filter(
      (f) => [UNIT_TESTS, E2E_TESTS, INFRA_TESTS].filter((g) => matches(g, f)).length > 1,
    );
    // Assess
    expect(files.length).toBeGreaterThan(60);
    expect(doubled).toEqual([]);
    expect(files.filter((f) => matches(UNIT_TESTS, f)).length).toBeGreaterThan(40);
  });

  it("no unit test file reaches DynamoDB Local, a real server or the local stack", async () => {
    // Prepare
    const unit = (await testFiles()).filter((f) => matches(UNIT_TESTS, f));
    // Act
    const output = await cruise(
      unit,
      { baseDir: root, tsPreCompilationDeps: true, doNotFollow: { path: "(^|/)node_modules/" } },
      {},
      { tsConfig: extractTSConfig(join(root, "tsconfig.json")) },
    );
    if (typeof output.output === "string") throw new Error("expected a cruise result, got a report");
    // What loading the unit files loads: static imports only (a CLI command imports the local
    // stack on demand, and the unit tests never run that command).
    const imports = new Map(
      output.output.modules.map((m) => [
        relative(".", m.source),
        m.dependencies.filter((d) => !d.dynamic).map((d) => relative(".", d.resolved)),
      ]),
    );
    const loaded = new Set<string>();
    const pending = [...unit];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (loaded.has(next)) continue;
      loaded.add(next);
      pending.push(...(imports.get(next) ?? []));
    }
    const reached = [...loaded].filter((source) => NEEDS_MORE_THAN_A_UNIT.includes(source));
    // Assess
    expect(loaded.size).toBeGreaterThan(unit.length * 2);
    expect(reached).toEqual([]);
  });
});

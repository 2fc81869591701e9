/**
 * The layer rules bite. dependency-cruiser, with the project's own .dependency-cruiser.cjs, runs on
 * the real tree (clean) and on test/layers/fixture/, a small tree laid out like the real one where
 * each file named for what it does wrong breaks one rule. No DynamoDB, no network.
 */
import { dirname, join } from "node:path";
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
      "shared/timeline may import only shared/time, shared/model, zod, yaml. " +
        "Pass a port in, or move the import to a higher layer.",
    );
  });
});

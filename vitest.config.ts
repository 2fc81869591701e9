import { defineConfig } from "vitest/config";

/**
 * `npm test` runs four projects; each can run alone (`npm run test:unit`, …):
 * - unit: pure logic and the in-memory store adapters (also the HTTP app over them, served on
 *   127.0.0.1 by test/http/memory-harness.ts). No Java, no network, no browser: seconds.
 * - integration: DynamoDB Local (started once by the global setup), the HTTP app over real HTTP,
 *   the local engine on its DynamoDB table, the reliability tests that fit in `npm test`.
 * - e2e: the whole local stack, the demo, a real browser (Debian chromium).
 * - infra: the CDK app synthesized offline, with cdk-nag.
 * A test file belongs to the first project whose pattern matches; anything not listed as unit,
 * e2e or infra is integration, so a new file runs (with Java) until it is shown not to need it.
 * test/layers/test-levels.test.ts checks that no unit test reaches for DynamoDB Local.
 */
export const UNIT_TESTS = [
  "test/time/**/*.test.ts",
  "test/model/**/*.test.ts",
  "test/timeline/**/*.test.ts",
  "test/workflows/**/*.test.ts",
  "test/mail/**/*.test.ts",
  "test/links/**/*.test.ts",
  "test/layers/**/*.test.ts",
  "test/retry/**/*.test.ts",
  "test/secrets/**/*.test.ts",
  "test/html/**/*.test.ts",
  "test/export/**/*.test.ts",
  "test/errors/**/*.test.ts",
  "test/http/problems.test.ts",
  "test/http/json-depth.test.ts",
  "test/cli/**/*.test.ts",
  "test/store/memory.test.ts",
  "test/people/policy.test.ts",
  "test/engine/paths.test.ts",
  "test/engine/table-wait.test.ts",
  "test/dashboard/csv.test.ts",
  "test/dashboard/gantt.test.ts",
  "test/dashboard/one-truth.test.ts",
  "test/dashboard/overview-filter.test.ts",
  "test/dashboard/instance-filter.test.ts",
  "test/dashboard/overview-find.test.ts",
  "test/dashboard/unit-deputies.test.ts",
  "test/dashboard/audit-words.test.ts",
  "test/app/deputy-routing.test.ts",
  "test/app/config.test.ts",
  "test/app/decide-step.test.ts",
  "test/app/handlers.test.ts",
  "test/app/notify.test.ts",
  "test/app/park.test.ts",
  "test/app/record-failure.test.ts",
  "test/app/sfn.test.ts",
  "test/bench/targets.test.ts",
  "test/hardening/**/*.test.ts",
  "test/people/group-roles.test.ts",
  "test/people/login-settings.test.ts",
  "test/people/attempt-policy.test.ts",
  "test/people/access-log.test.ts",
  "test/people/visibility.test.ts",
];
export const E2E_TESTS = [
  "test/e2e/**/*.test.ts",
  "test/dashboard/browser.test.ts",
  "test/people/browser.test.ts",
  "test/people/access-log-browser.test.ts",
  "test/people/roles-browser.test.ts",
];
export const INFRA_TESTS = ["test/infra/**/*.test.ts"];

const DYNAMODB_LOCAL = "test/support/global-setup.ts";

export default defineConfig({
  test: {
    // Generous: the browser tests run beside every other project on a 2-core machine, where a
    // test of a few seconds alone has taken over 30 s (a bound on a hang, not a speed check).
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The SDK's notice that it will need Node 22 in 2027: known, and noise in every test log.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    projects: [
      { extends: true, test: { name: "unit", include: UNIT_TESTS } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: [...UNIT_TESTS, ...E2E_TESTS, ...INFRA_TESTS],
          globalSetup: [DYNAMODB_LOCAL],
        },
      },
      { extends: true, test: { name: "e2e", include: E2E_TESTS, globalSetup: [DYNAMODB_LOCAL] } },
      { extends: true, test: { name: "infra", include: INFRA_TESTS } },
    ],
  },
});

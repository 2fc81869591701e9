import { defineConfig } from "vitest/config";

/**
 * `npm run test:reliability`: the reliability tests too long for `npm test` (minutes, not seconds),
 * with the crash reproductions that go with them. They are named *.reliability.ts, so the main
 * config (test/**\/*.test.ts) leaves them out.
 */
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.reliability.ts", "test/clean-clone/**/*.reliability.ts"],
    exclude: ["**/node_modules/**"],
    // The SDK's notice that it will need Node 22 in 2027: known, and noise in every test log.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    testTimeout: 1_200_000,
    hookTimeout: 600_000,
    pool: "forks",
    // One file at a time: the crash test's kill points and the JVMs it starts need the machine.
    fileParallelism: false,
    globalSetup: ["test/support/global-setup.ts"],
  },
});

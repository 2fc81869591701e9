#!/usr/bin/env node
// The fristflow command. Registers tsx so the TypeScript sources run as they are: no build step
// a newcomer must remember, and the CLI, the local stack and the tests run the very same files.
import { register } from "tsx/esm/api";

// The AWS SDK warns on Node < 22 at first use. Locally it only talks to DynamoDB Local and Node 20
// is supported here (the Lambdas run Node 22), so the warning would only confuse a newcomer.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
const { main } = await import("../infra/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
// "Stopped." means stopped: whatever still holds the event loop once the command is done (a
// keep-alive socket or a timer some library left) gets a moment, then the process ends.
setTimeout(() => process.exit(), 2_000).unref();

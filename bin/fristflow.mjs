#!/usr/bin/env node
// The fristflow command. Registers tsx so the TypeScript sources run as they are: no build step
// a newcomer must remember, and the CLI, the local stack and the tests run the very same files.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../infra/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));

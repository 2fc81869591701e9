/**
 * `fristflow start` and `fristflow demo`: the local stack for people, with the errors a
 * newcomer meets turned into one clear line each (Java missing, port in use, a data folder
 * from a newer version).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runDemo } from "../local/demo.ts";
import { LocalStackError, startLocalStack } from "../local/stack.ts";
import type { Io } from "./main.ts";

/** Errors a person can act on: shown as one line, never with a stack trace. */
function explain(error: unknown): string | null {
  if (error instanceof LocalStackError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/Java 17 is needed|port .* (is )?(in use|taken)/i.test(message)) return message;
  return null;
}

export async function startCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string", default: "3000" },
      data: { type: "string", default: ".data/local" },
      ephemeral: { type: "boolean", default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`fristflow: --port must be a number from 0 to 65535, got '${values.port}'`);
    return 2;
  }
  const started = performance.now();
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  let failed: ((error: Error) => void) | undefined;
  const fatal = new Promise<Error>((done) => {
    failed = done;
  });
  try {
    stack = await startLocalStack({
      port,
      ...(values.ephemeral ? {} : { dataDir: resolve(values.data) }),
      clockMode: "real",
      // Errors (with the error id a 500 page shows) on the console; they are in fristflow.log too.
      logLevel: "ERROR",
      onNotice: (line) => io.err(line),
      onFatal: (error) => failed?.(error),
    });
  } catch (error) {
    const line = explain(error);
    if (line === null) throw error;
    io.err(`fristflow: ${line}`);
    return 1;
  }
  io.out(
    [
      `fristflow is running (ready in ${((performance.now() - started) / 1000).toFixed(1)} s).`,
      "",
      `  Dashboard:    ${stack.url}/   (log in with one of the users below)`,
      `  Users:        ${stack.usersFile}   (the embedded OpenID provider at ${stack.issuer})`,
      ...stack.users.map(
        (u) => `    ${u.email.padEnd(28)} ${u.password.padEnd(18)} ${u.roles.join(", ") || "(no role)"}`,
      ),
      `  Admin token:  ${stack.adminToken}   (first start and scripts: the API's bearer token)`,
      `  Outbox:       ${stack.outboxDir}   (mails as .eml; also under Outbox in the dashboard)`,
      `  Data:         ${values.ephemeral ? "throwaway (--ephemeral): removed on exit" : stack.dataDir}`,
      "",
      "Press Ctrl-C to stop.",
    ].join("\n"),
  );
  const outcome = await Promise.race([signalled(), fatal]);
  if (outcome instanceof Error) {
    // The stack has stopped itself already.
    io.err(`fristflow: ${outcome.message}`);
    return 1;
  }
  io.out("\nStopping fristflow…");
  // A stop that hangs must not keep the terminal: a second Ctrl-C, or the deadline, ends it.
  const deadline = setTimeout(() => {
    io.err(`fristflow: stopping took longer than ${STOP_DEADLINE_MS / 1000} s; exiting anyway.`);
    process.exit(1);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  const force = () => process.exit(130);
  process.once("SIGINT", force);
  process.once("SIGTERM", force);
  await stack.stop();
  clearTimeout(deadline);
  io.out("Stopped.");
  return 0;
}

/** How long a stop may take before the process exits without waiting for it. */
export const STOP_DEADLINE_MS = 4_000;

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM. */
function signalled(): Promise<"signal"> {
  return new Promise((done) => {
    const once = () => {
      process.off("SIGINT", once);
      process.off("SIGTERM", once);
      done("signal");
    };
    process.on("SIGINT", once);
    process.on("SIGTERM", once);
  });
}

export async function demoCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { seed: { type: "string", default: "2023" }, quiet: { type: "boolean", default: false } },
  });
  io.out(
    "fristflow demo: Ishøj 'Stærke fællesskaber' from 1 November 2023, in skipped time.\n" +
      "Simulated leaders open and confirm their real links over HTTP: most on time, some late, and one\n" +
      "daycare leader never (its manager confirms after the third reminder to them).\n",
  );
  try {
    const result = await runDemo({
      seed: Number(values.seed),
      ...(values.quiet ? {} : { log: (line: string) => io.out(line) }),
    });
    const count = (kind: string) => result.mails.filter((m) => m.kind === kind).length;
    const late = result.actions.filter((a) => a.daysFromDeadline > 0 && a.outcome === "confirmed").length;
    const onTime = result.actions.filter((a) => a.daysFromDeadline <= 0 && a.outcome === "confirmed").length;
    io.out(
      [
        "",
        "Summary",
        `  virtual time       ${result.virtualDays} days (${(result.virtualDays / 365.25).toFixed(1)} years) in ${(result.wallMs / 1000).toFixed(1)} s`,
        `  mails sent         ${result.mails.length}: ${count("reminder")} reminders, ${count("activated")} "your turn", ${count("escalation")} escalations`,
        `  confirmations      ${onTime} on time, ${late} late, ${result.actions.filter((a) => a.outcome !== "confirmed").length} refused or repeated`,
        `  executions         ${result.engine.executionsStarted} (continue-as-new keeps each under a year)`,
        `  state transitions  ${result.engine.stateTransitions}, Lambda invocations ${result.engine.lambdaInvocations}`,
        `  instance           ${result.done ? "done" : "NOT done"}`,
        `  report             ${result.reportPath}`,
      ].join("\n"),
    );
    return result.done ? 0 : 1;
  } catch (error) {
    const line = explain(error);
    if (line === null) throw error;
    io.err(`fristflow: ${line}`);
    return 1;
  }
}

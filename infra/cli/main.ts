/**
 * The fristflow command line: `validate` and `plan` (and, as the local stack grows, `start`).
 * Returns an exit code instead of exiting so tests can call it in-process.
 */
import { parseArgs } from "node:util";
import { type ErrorCategory, FristflowError } from "../../shared/errors/errors.ts";
import { formatErrors, type LoadResult, type LocatedError } from "../../shared/model/errors.ts";
import { validateParams } from "../../shared/model/params.ts";
import { formatPlanTable } from "../../shared/timeline/format.ts";
import { plan } from "../../shared/timeline/plan.ts";
import { loadUnitsFile, loadWorkflowFile } from "./files.ts";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};

const USAGE = `fristflow: deadlines and milestones for Danish municipalities

Usage:
  fristflow start [--port 3000] [--data .data/local] [--ephemeral]
      Run fristflow locally: DynamoDB Local, the engine, the dashboard and a mail outbox.
  fristflow demo [--seed N] [--quiet]
      Run the Ishøj timeline 2023-2028 in skipped time with simulated leaders; print a summary.
  fristflow validate FILE...
      Check workflow definitions; exit 0 when all are valid, 1 with located errors.
  fristflow plan FILE --start YYYY-MM-DD [--param key=value]... [--units FILE] [--json]
      Print the timeline of an instance started on that date: every milestone per unit with
      its deadline, reminders and possible escalations (a table, or JSON with --json).
`;

class UsageError extends FristflowError {
  readonly category: ErrorCategory = "invalid";
}

async function validate(files: string[], io: Io): Promise<number> {
  if (files.length === 0) throw new UsageError("validate needs at least one FILE");
  let failed = 0;
  for (const file of files) {
    const result = await loadWorkflowFile(file);
    if (result.ok) {
      io.out(`${file}: valid (${result.value.id}, ${result.value.milestones.length} milestones)`);
    } else {
      failed++;
      io.err(formatErrors(result.errors));
    }
  }
  return failed === 0 ? 0 : 1;
}

function parseParamArgs(values: string[]): LoadResult<Record<string, string>> {
  const params: Record<string, string> = {};
  const errors: LocatedError[] = [];
  for (const v of values) {
    const eq = v.indexOf("=");
    if (eq <= 0) {
      errors.push({
        file: "--param",
        line: 0,
        column: 0,
        path: v,
        message: "must be written key=value, e.g. caseRef=S-2024-17",
      });
    } else {
      params[v.slice(0, eq)] = v.slice(eq + 1);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: params };
}

async function planCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      start: { type: "string" },
      param: { type: "string", multiple: true, default: [] },
      units: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError("plan needs exactly one FILE");
  if (!values.start) throw new UsageError("plan needs --start YYYY-MM-DD (the instance's start date)");
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(values.start)) {
    throw new UsageError(
      `--start must be a date YYYY-MM-DD or a local date-time YYYY-MM-DDTHH:MM, got '${values.start}'`,
    );
  }

  const loaded = await loadWorkflowFile(file);
  if (!loaded.ok) {
    io.err(formatErrors(loaded.errors));
    return 1;
  }
  const definition = loaded.value;
  const rawParams = parseParamArgs(values.param);
  if (!rawParams.ok) {
    io.err(formatErrors(rawParams.errors));
    return 1;
  }
  const params = validateParams(definition, rawParams.value, "--param");
  if (!params.ok) {
    io.err(formatErrors(params.errors));
    return 1;
  }
  const units = values.units ? await loadUnitsFile(values.units) : { ok: true as const, value: [] };
  if (!units.ok) {
    io.err(formatErrors(units.errors));
    return 1;
  }

  let result: ReturnType<typeof plan>;
  try {
    result = plan(definition, values.start, params.value, units.value);
  } catch (e) {
    // Only an impossible start date gets here: the definition and parameters are validated.
    throw new UsageError(`--start: ${(e as Error).message}`);
  }
  if (values.json) {
    io.out(JSON.stringify(result, null, 2));
    return 0;
  }
  const names = new Map(units.value.map((u) => [u.id, u.name]));
  io.out(formatPlanTable(result, definition, names));
  const fanOut = definition.milestones.filter((m) => m.forEach);
  if (fanOut.length > 0 && units.value.length === 0) {
    io.err(
      `note: ${fanOut.map((m) => m.id).join(", ")} fan out over units (${[...new Set(fanOut.flatMap((m) => m.forEach ?? []))].join(", ")}); pass --units FILE to see one row per unit.`,
    );
  }
  return 0;
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "validate":
        return await validate(rest, io);
      case "plan":
        return await planCommand(rest, io);
      case "start":
        // Loaded on demand: validate and plan need neither the AWS SDK nor the local stack.
        return await (await import("./local.ts")).startCommand(rest, io);
      case "demo":
        return await (await import("./local.ts")).demoCommand(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return command === undefined ? 1 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    // Usage mistakes and argument parsing errors get one line and the usage, never a stack trace.
    if (
      e instanceof UsageError ||
      (e instanceof Error && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))
    ) {
      io.err(`fristflow: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

/**
 * Where the local stack's log goes. Warnings and errors always land in `fristflow.log` in the
 * data folder (JSON lines, owner-only), so the error id on a 500 page leads somewhere even when
 * nothing is printed; entries at or above the console level are also printed, one readable line
 * each.
 */
import { appendFileSync } from "node:fs";
import type { HttpLogger } from "../../shared/http/app.ts";
import { PRIVATE_FILE_MODE } from "./private-files.ts";

export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";
type EntryLevel = Exclude<LogLevel, "SILENT">;

const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, SILENT: 100 };
/** What the file always keeps. */
const FILE_LEVEL: LogLevel = "WARN";

export interface LocalLogOptions {
  /** The log file; null: none (nothing kept). */
  file: string | null;
  /** Printed from this level up. */
  consoleLevel: LogLevel;
  /** Default: stderr. */
  print?: (line: string) => void;
}

function readable(level: EntryLevel, message: string, attributes: Record<string, unknown>): string {
  const error = attributes.error as { name?: unknown; message?: unknown } | undefined;
  const facts = Object.entries(attributes)
    .filter(([key]) => key !== "error")
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  const cause = error === undefined ? [] : [`error=${String(error.name)}: ${String(error.message)}`];
  return `fristflow ${level}: ${message} ${[...facts, ...cause].join(" ")}`.trimEnd();
}

export function createLocalLog(options: LocalLogOptions): HttpLogger {
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const write = (level: EntryLevel, message: string, attributes: Record<string, unknown>) => {
    if (options.file !== null && RANK[level] >= RANK[FILE_LEVEL]) {
      const entry = { time: new Date().toISOString(), level, message, ...attributes };
      try {
        // Synchronous: rare, and the line is on disk before a crash that may follow.
        appendFileSync(options.file, `${JSON.stringify(entry)}\n`, { mode: PRIVATE_FILE_MODE });
      } catch (error) {
        print(`fristflow: cannot write the log ${options.file}: ${(error as Error).message}`);
      }
    }
    if (RANK[level] >= RANK[options.consoleLevel]) print(readable(level, message, attributes));
  };
  return {
    info: (message, attributes) => write("INFO", message, attributes),
    warn: (message, attributes) => write("WARN", message, attributes),
    error: (message, attributes) => write("ERROR", message, attributes),
  };
}

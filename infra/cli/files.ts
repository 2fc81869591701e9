/**
 * Reading definition files from disk for the command line (and the benchmarks and tests that read
 * the templates): the I/O edge in front of the pure loaders of shared/model. Every failure
 * (missing file, a directory, too large, not UTF-8) comes back as a located error like any other,
 * never as a throw.
 */
import { readFile, stat } from "node:fs/promises";
import type { LoadResult, LocatedError } from "../../shared/model/errors.ts";
import { loadUnits, loadWorkflow, MAX_SOURCE_BYTES } from "../../shared/model/load.ts";
import type { Unit, Workflow } from "../../shared/model/schema.ts";

export async function loadWorkflowFile(path: string): Promise<LoadResult<Workflow>> {
  const text = await readText(path);
  return typeof text === "string" ? loadWorkflow(text, path) : { ok: false, errors: [text] };
}

export async function loadUnitsFile(path: string): Promise<LoadResult<Unit[]>> {
  const text = await readText(path);
  return typeof text === "string" ? loadUnits(text, path) : { ok: false, errors: [text] };
}

/** The file's text, or the error explaining why there is none (line 0: no position to point at). */
async function readText(path: string): Promise<string | LocatedError> {
  const failure = (message: string): LocatedError => ({ file: path, line: 0, column: 0, path: "", message });
  try {
    const info = await stat(path);
    if (info.isDirectory()) return failure("is a directory, not a file");
    if (!info.isFile()) return failure("is not a regular file");
    // Checked before reading, so a huge upload is never read into memory.
    if (info.size > MAX_SOURCE_BYTES) {
      return failure(
        `the file is ${Math.ceil(info.size / 1024)} KiB; at most ${MAX_SOURCE_BYTES / 1024} KiB is allowed`,
      );
    }
    const bytes = await readFile(path);
    try {
      // fatal: a file saved in Latin-1 would otherwise load with "�" in every "æøå".
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      return failure("is not valid UTF-8 text; save it as UTF-8");
    }
  } catch (error) {
    return failure(describeIoError(error));
  }
}

function describeIoError(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  switch (code) {
    case "ENOENT":
      return "file not found";
    case "EACCES":
    case "EPERM":
      return "cannot read the file: permission denied";
    case "ENOTDIR":
      return "file not found (a part of the path is not a directory)";
    default:
      return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
  }
}

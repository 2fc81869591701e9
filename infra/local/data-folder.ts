/**
 * The data folder of the local stack: its format marker, its lock, its owner-only modes and the
 * admin token kept in it. Opening it is the first thing a stack does and closing it the last.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DataLock, lockDataFolder } from "./data-lock.ts";
import { LocalStackError } from "./errors.ts";
import { makePrivate, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "./private-files.ts";

/** Bumped when the layout of the data folder changes incompatibly. */
export const DATA_FORMAT_VERSION = 1;

export interface DataFolder {
  dir: string;
  /** A throwaway folder, removed on close. */
  ephemeral: boolean;
  secretsDir: string;
  outboxDir: string;
  /** Where DynamoDB Local keeps its files; undefined: in memory. */
  dynamoDbDir: string | undefined;
  logFile: string;
  lock: DataLock | null;
  close(): Promise<void>;
}

/** Refuses a data folder written by a newer fristflow instead of corrupting it. */
async function checkDataFormat(dataDir: string): Promise<void> {
  const marker = join(dataDir, "FORMAT");
  const existing = await readFile(marker, "utf8").catch(() => null);
  if (existing === null) {
    await writeFile(marker, `${DATA_FORMAT_VERSION}\n`, { mode: PRIVATE_FILE_MODE });
    return;
  }
  const version = Number.parseInt(existing.trim(), 10);
  if (!Number.isInteger(version) || version > DATA_FORMAT_VERSION) {
    throw new LocalStackError(
      `The data folder ${dataDir} was written by a newer fristflow (format ${existing.trim()}, this one reads ${DATA_FORMAT_VERSION}). Upgrade fristflow, or start with another --data folder.`,
    );
  }
}

/** Opens (creating it if needed) and locks `dataDir`; undefined: a throwaway folder, DynamoDB Local in memory. */
export async function openDataFolder(dataDir: string | undefined): Promise<DataFolder> {
  const ephemeral = dataDir === undefined;
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), "fristflow-")));
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const lock = ephemeral ? null : await lockDataFolder(dir);
  try {
    await checkDataFormat(dir);
    const secretsDir = join(dir, "secrets");
    const outboxDir = join(dir, "outbox");
    await mkdir(secretsDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    await mkdir(outboxDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    // Folders and files from before fristflow wrote them private.
    await makePrivate(dir);
    return {
      dir,
      ephemeral,
      secretsDir,
      outboxDir,
      dynamoDbDir: ephemeral ? undefined : join(dir, "dynamodb"),
      logFile: join(dir, "fristflow.log"),
      lock,
      async close() {
        await lock?.release();
        if (ephemeral) await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

/** A token the administrator pastes into the dashboard; kept in the data folder so it survives restarts. */
export async function adminTokenIn(secretsDir: string): Promise<string> {
  const path = join(secretsDir, "admin-token");
  const existing = await readFile(path, "utf8").catch(() => null);
  if (existing?.trim()) return existing.trim();
  const token = randomBytes(24).toString("base64url");
  await writeFile(path, `${token}\n`, { mode: PRIVATE_FILE_MODE });
  return token;
}

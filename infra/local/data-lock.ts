/**
 * One stack per data folder: two would run two JVMs on one database file. The lock is a file
 * `LOCK` holding the stack's pid (and its JVM's), created atomically (a hard link of a complete
 * file, so nobody reads half a lock). A lock whose stack is gone (kill -9, power cut) is stale and
 * taken over; if that stack's JVM somehow outlived it, it is killed first, since it still has the
 * database open.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { link, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LocalStackError } from "./errors.ts";
import { PRIVATE_FILE_MODE } from "./private-files.ts";

export const LOCK_FILE = "LOCK";
const JVM_GONE_WAIT_MS = 10_000;
const POLL_MS = 50;

interface LockContent {
  pid: number;
  jvmPid?: number;
  startedAt: string;
}

export interface DataLock {
  /** Records the JVM's pid, so whoever finds this lock stale can make sure that JVM is gone. */
  setJvmPid(pid: number): Promise<void>;
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is somebody else's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function holderOf(path: string): Promise<LockContent | null> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as Partial<LockContent>;
    return typeof parsed.pid === "number" ? (parsed as LockContent) : null;
  } catch {
    return null;
  }
}

/** Linux: the process's command line, to tell a JVM on this folder from an unrelated process that got its pid. */
function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

async function killLeftoverJvm(pid: number | undefined, dataDir: string): Promise<void> {
  if (pid === undefined || !isAlive(pid) || !commandLineOf(pid).includes(dataDir)) return;
  process.kill(pid, "SIGKILL");
  const deadline = performance.now() + JVM_GONE_WAIT_MS;
  while (isAlive(pid) && performance.now() < deadline) await new Promise((r) => setTimeout(r, POLL_MS));
}

async function writeAtomically(path: string, content: LockContent): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(temporary, `${JSON.stringify(content)}\n`, { mode: PRIVATE_FILE_MODE });
  try {
    await link(temporary, path);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

function inUse(dataDir: string, pid: number): LocalStackError {
  return new LocalStackError(
    `The data folder ${dataDir} is in use by another fristflow (pid ${pid}). Stop that one first (Ctrl-C where it runs), or start with another --data folder.`,
  );
}

/** Takes the folder's lock or refuses with the pid of the stack that holds it. */
export async function lockDataFolder(dataDir: string): Promise<DataLock> {
  const path = join(dataDir, LOCK_FILE);
  const content: LockContent = { pid: process.pid, startedAt: new Date().toISOString() };
  try {
    await writeAtomically(path, content);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = await holderOf(path);
    if (holder !== null && isAlive(holder.pid)) throw inUse(dataDir, holder.pid);
    // Stale: its stack is gone. Its JVM should have died with it; make sure before taking over.
    await killLeftoverJvm(holder?.jvmPid, dataDir);
    await rm(path, { force: true });
    try {
      await writeAtomically(path, content);
    } catch (again) {
      // Somebody else took over the stale lock in between.
      if ((again as NodeJS.ErrnoException).code === "EEXIST")
        throw inUse(dataDir, (await holderOf(path))?.pid ?? 0);
      throw again;
    }
  }
  let released = false;
  return {
    async setJvmPid(jvmPid) {
      if (released) return;
      content.jvmPid = jvmPid;
      // Rewritten in place: the file stays ours, only its JVM pid changes.
      await writeFile(path, `${JSON.stringify(content)}\n`, { mode: PRIVATE_FILE_MODE });
    },
    async release() {
      if (released) return;
      released = true;
      const holder = await holderOf(path);
      if (holder?.pid === process.pid) await rm(path, { force: true });
    },
  };
}

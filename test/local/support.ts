/** Helpers of the local-stack tests: temporary data folders, sockets, polling, the file tree. */
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";

export async function withDataDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "fristflow-local-"));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An IPv4 address of this machine that is not loopback (eth0 and the like), if it has one. */
export function nonLoopbackAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address !== undefined && !address.internal && address.family === "IPv4")?.address;
}

/** "connected", or the error code of the attempt (ECONNREFUSED when nothing listens there). */
export function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.setTimeout(5_000, () => {
      socket.destroy();
      done("ETIMEDOUT");
    });
    socket.once("connect", () => {
      socket.destroy();
      done("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** Every folder and file under `dir` (itself included) with its permission bits, e.g. `0o600`. */
export interface ModeOf {
  path: string;
  kind: "dir" | "file";
  mode: number;
}

export async function modesUnder(dir: string): Promise<ModeOf[]> {
  const found: ModeOf[] = [{ path: dir, kind: "dir", mode: (await stat(dir)).mode & 0o777 }];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await modesUnder(path)));
    else if (entry.isFile()) found.push({ path, kind: "file", mode: (await stat(path)).mode & 0o777 });
  }
  return found;
}

/** Polls `probe` until it returns a value (not undefined) or `ms` pass. */
export async function eventually<T>(ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      throw new Error(`not within ${ms} ms${lastError ? `: ${String(lastError)}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

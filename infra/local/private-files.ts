/**
 * The data folder holds mails with working confirm links, the link key and the admin token: only
 * its owner may read it. New files are written private (mode 0600, umask 077 for the JVM); this
 * makes a folder from an older fristflow, or one a tool wrote into, private too.
 */
import { chmod, lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** chmod 0700 on `dir` and every folder under it, 0600 on every file; symbolic links are left alone. */
export async function makePrivate(dir: string): Promise<void> {
  await chmod(dir, PRIVATE_DIR_MODE);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makePrivate(path);
    else if (entry.isFile() && ((await lstat(path)).mode & 0o777) !== PRIVATE_FILE_MODE) {
      await chmod(path, PRIVATE_FILE_MODE);
    }
  }
}

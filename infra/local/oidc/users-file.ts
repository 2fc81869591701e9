/**
 * The local users file (`<data>/users.json`): the people the embedded OpenID provider logs in,
 * with their passwords. Created on the first start with one user per role and generated
 * passwords, readable only by its owner; edit it to add people (they are added to fristflow's
 * table on the next start, where their roles are kept from then on).
 */
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type LocalUser, LocalUsersFileSchema } from "../../../shared/model/people.ts";
import { LocalStackError } from "../errors.ts";

export const USERS_FILE = "users.json";

const STARTERS: Omit<LocalUser, "password">[] = [
  { id: "anna", name: "Anna Administrator", email: "anna@fristflow.localhost", roles: ["administrator"] },
  { id: "erik", name: "Erik Redaktør", email: "erik@fristflow.localhost", roles: ["editor"] },
  { id: "sara", name: "Sara Sagsbehandler", email: "sara@fristflow.localhost", roles: ["caseworker"] },
  { id: "vera", name: "Vera Læser", email: "vera@fristflow.localhost", roles: ["viewer"] },
];

/** The file's users, writing the starters first when there is no file. */
export async function localUsers(
  dataDir: string,
): Promise<{ path: string; users: LocalUser[]; created: boolean }> {
  const path = join(dataDir, USERS_FILE);
  const text = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });
  if (text === null) {
    const users = STARTERS.map((u) => ({ ...u, password: randomBytes(12).toString("base64url") }));
    await writeFile(path, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
    return { path, users, created: true };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new LocalStackError(`${path} is not valid JSON. Fix it, or delete it to have it made again.`);
  }
  const parsed = LocalUsersFileSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new LocalStackError(
      `${path}: ${first?.path.join(".") ?? ""} ${first?.message ?? "is not valid"}. Fix it, or delete it to have it made again.`,
    );
  }
  return { path, users: parsed.data.users, created: false };
}

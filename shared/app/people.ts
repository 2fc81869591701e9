/**
 * Use cases on users: creating them (from the dashboard or the local users file), changing roles
 * and the active flag (which ends the person's sessions at once when it takes anything away), and
 * finding who an identity provider's login belongs to.
 */
import { canonicalRoles, type LocalUser, losesRole } from "../model/people.ts";
import { ConflictError } from "../store/errors.ts";
import type { SessionStore, UserStore } from "../store/ports.ts";
import type { UserInput, UserRecord } from "../store/records.ts";

export interface PeopleDeps {
  users: UserStore;
  sessions: SessionStore;
}

/** Who the users file's entries are created by, in the user's record. */
export const LOCAL_USERS_ACTOR = "local-users-file";

/**
 * The users file's people who are not in the table yet are created; those already there are left
 * as the dashboard last changed them (their roles and active flag are the table's from then on).
 */
export async function ensureLocalUsers(
  deps: Pick<PeopleDeps, "users">,
  users: readonly LocalUser[],
): Promise<{ created: string[] }> {
  const created: string[] = [];
  for (const user of users) {
    if ((await deps.users.get(user.id)) !== null) continue;
    try {
      await deps.users.create({
        userId: user.id,
        name: user.name,
        email: user.email,
        roles: canonicalRoles(user.roles),
        active: true,
        updatedBy: LOCAL_USERS_ACTOR,
      });
      created.push(user.id);
    } catch (err) {
      // Created by another start at the same moment: it is there, which is all that is asked.
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  return { created };
}

export async function createUser(deps: Pick<PeopleDeps, "users">, input: UserInput): Promise<UserRecord> {
  return deps.users.create({ ...input, roles: canonicalRoles(input.roles) });
}

/**
 * Changes a user. Deactivating them or taking a role away ends every session they have, at once:
 * they log in again and get what they are allowed now. (Each request also reads the user, so even
 * a session created in the same instant cannot use what was taken away.)
 */
export async function updateUser(
  deps: PeopleDeps,
  input: UserInput,
): Promise<{ user: UserRecord; sessionsEnded: number }> {
  const { before, after } = await deps.users.update({ ...input, roles: canonicalRoles(input.roles) });
  const takesAway = (before.active && !after.active) || losesRole(before.roles, after.roles);
  const sessionsEnded = takesAway ? await deps.sessions.endAll(after.userId) : 0;
  return { user: after, sessionsEnded };
}

/** What an identity provider says about the person who logged in (from the verified ID token). */
export interface LoginClaims {
  issuer: string;
  subject: string;
  email?: string | undefined;
  /** False only when the provider says the e-mail is not verified. */
  emailVerified?: boolean | undefined;
  name?: string | undefined;
  /** The groups in the provider's group claim or attribute; undefined when the login has none. */
  groups?: string[] | undefined;
}

export type LoginMatch =
  | { ok: true; user: UserRecord }
  | { ok: false; reason: "unknown" | "inactive" | "no-role" };

/**
 * The user a login belongs to: by the linked account first, else by e-mail (then the account is
 * linked, so a later change of e-mail at the provider still finds them). Only active users with
 * at least one role get in.
 */
export async function matchLogin(deps: Pick<PeopleDeps, "users">, claims: LoginClaims): Promise<LoginMatch> {
  const user = await findLoginUser(deps, claims);
  if (user === null) return { ok: false, reason: "unknown" };
  if (!user.active) return { ok: false, reason: "inactive" };
  if (user.roles.length === 0) return { ok: false, reason: "no-role" };
  return { ok: true, user };
}

/** The user a login's account is linked to, else the active user with its e-mail (then linked), else null. */
export async function findLoginUser(
  deps: Pick<PeopleDeps, "users">,
  claims: LoginClaims,
): Promise<UserRecord | null> {
  const subject = `${claims.issuer} ${claims.subject}`;
  let user = await deps.users.findBySubject(subject);
  if (user === null && claims.email !== undefined && claims.emailVerified !== false) {
    user = await deps.users.findByEmail(claims.email);
    if (user?.active) await deps.users.linkSubject(user.userId, subject);
  }
  return user;
}

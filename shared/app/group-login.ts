/**
 * A login whose roles come from the identity provider's groups (OpenID Connect and SAML alike):
 * when a mapping is configured, each login replaces the user's roles with what their groups give,
 * records a change in the user's audit trail (by the provider, before and after), and ends the
 * user's other sessions when a role is lost, as an administrator's edit does (people.ts). Without
 * a mapping the roles stay as the dashboard assigned them.
 */

import { type GroupRoles, roleChange, rolesFromGroups } from "../model/group-roles.ts";
import type { AuditLog } from "../store/ports.ts";
import { userAuditId } from "../store/ports.ts";
import { findLoginUser, type LoginClaims, type LoginMatch, matchLogin, type PeopleDeps } from "./people.ts";

export type GroupLoginDeps = PeopleDeps & { audit: AuditLog };

/** Who changed the roles, in the audit trail and the user's record: the provider, by its issuer. */
export function providerActor(issuer: string): string {
  return `idp:${issuer}`;
}

/**
 * matchLogin, with the roles set from the login's groups first when `mapping` is given. A login
 * without the group claim counts as one in no groups: the mapping decides, not what was stored.
 */
export async function matchLoginWithGroups(
  deps: GroupLoginDeps,
  claims: LoginClaims,
  mapping: GroupRoles | undefined,
): Promise<LoginMatch & { rolesChanged?: boolean }> {
  if (mapping === undefined) return matchLogin(deps, claims);
  const found = await findLoginUser(deps, claims);
  if (found === null) return { ok: false, reason: "unknown" };
  if (!found.active) return { ok: false, reason: "inactive" };
  let user = found;
  const change = roleChange(found.roles, rolesFromGroups(mapping, claims.groups ?? []));
  if (change.changed) {
    const by = providerActor(claims.issuer);
    const { after } = await deps.users.update({
      userId: found.userId,
      name: found.name,
      email: found.email,
      active: found.active,
      roles: change.after,
      updatedBy: by,
    });
    user = after;
    await deps.audit.append(userAuditId(found.userId), {
      action: "user.roles.changed",
      by,
      details: { before: change.before, after: change.after, source: "group claim" },
    });
    // Before the new session starts: the ones that still carry the lost role end, this one does not.
    if (change.lost) await deps.sessions.endAll(found.userId);
  }
  if (user.roles.length === 0) return { ok: false, reason: "no-role" };
  return { ok: true, user, rolesChanged: change.changed };
}

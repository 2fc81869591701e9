/**
 * Roles from an identity provider's group claim: the mapping an administrator configures (group
 * id or name to a role) and what it makes of the groups a login carries. Pure; the use case that
 * applies it at login is shared/app/group-login.ts.
 */
import { z } from "zod";
import { canonicalRoles, losesRole, ROLES, type Role, RoleSchema } from "./people.ts";

/**
 * `{ "<group id or name>": "<role>" | ["<role>", …] }`: Entra ID sends group object ids, AD FS
 * group names. A list lets one group give several roles (the CDK context takes the same shape).
 */
export const GroupRolesSchema = z
  .record(
    z.string().trim().min(1, "a group must not be empty").max(256),
    z.union([RoleSchema, z.array(RoleSchema).min(1).max(ROLES.length)]),
  )
  .refine((mapping) => Object.keys(mapping).length <= 1000, "at most 1000 groups");
export type GroupRoles = z.infer<typeof GroupRolesSchema>;

/** Group names in AD and Entra ID's object ids do not depend on case; neither does the mapping. */
function normal(group: string): string {
  return group.trim().toLowerCase();
}

/** Pure: the roles the login's groups give, in canonical order; groups not in the mapping give none. */
export function rolesFromGroups(mapping: GroupRoles, groups: readonly string[]): Role[] {
  const wanted = new Map(Object.entries(mapping).map(([group, role]) => [normal(group), role]));
  const roles: Role[] = [];
  for (const group of groups) {
    const given = wanted.get(normal(group));
    if (given !== undefined) roles.push(...(Array.isArray(given) ? given : [given]));
  }
  return canonicalRoles(roles);
}

/** Pure: a claim's or attribute's value as a list of groups (one string, or a list; anything else is none). */
export function groupsOf(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === "string" && v.trim() !== "");
}

export interface RoleChange {
  before: Role[];
  after: Role[];
  changed: boolean;
  /** A role was taken away: the person's other sessions must end. */
  lost: boolean;
}

/** Pure: how the stored roles change when the groups' roles replace them. */
export function roleChange(before: readonly Role[], after: readonly Role[]): RoleChange {
  const a = canonicalRoles(before);
  const b = canonicalRoles(after);
  return { before: a, after: b, changed: a.join(",") !== b.join(","), lost: losesRole(a, b) };
}

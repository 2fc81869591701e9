/**
 * Staff and what they may do: the four roles, user ids and the local users file. Pure data and
 * schemas; who may reach which route is the access table (shared/http/access.ts), built on these.
 */
import { z } from "zod";

/**
 * - administrator: everything, users included;
 * - editor: workflows and the directory;
 * - caseworker: starts and steers instances;
 * - viewer: reads the overview, instances and reports; changes nothing.
 */
export const ROLES = ["administrator", "editor", "caseworker", "viewer"] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Lower-case letters, digits and dashes: a user id goes into keys, cookies and the audit trail. */
export const UserIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and dashes (at most 63)");

export const EmailSchema = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase());

/** A user of the embedded provider's file: who they are, what they may do, and their password. */
export const LocalUserSchema = z.strictObject({
  id: UserIdSchema,
  name: z.string().min(1).max(200),
  email: EmailSchema,
  roles: z.array(RoleSchema).max(ROLES.length),
  password: z.string().min(12).max(200),
  /** Groups the embedded provider puts in the ID token's `groups` claim (roles from groups, locally). */
  groups: z.array(z.string().min(1).max(256)).max(100).optional(),
});
export type LocalUser = z.infer<typeof LocalUserSchema>;

export const LocalUsersFileSchema = z.strictObject({
  users: z.array(LocalUserSchema).min(1).max(1000),
});

/** Roles in their fixed order, each once: what a form or a file gives, made canonical. */
export function canonicalRoles(roles: Iterable<string>): Role[] {
  const given = new Set(roles);
  return ROLES.filter((role) => given.has(role));
}

/** True when `after` lacks a role `before` had: the change that must end open sessions. */
export function losesRole(before: readonly Role[], after: readonly Role[]): boolean {
  return before.some((role) => !after.includes(role));
}

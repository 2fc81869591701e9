/**
 * Who may reach what: the one table of route patterns and the roles each admits, for every page
 * of the dashboard and every route of the API. The app's guard (guard.ts) enforces it in front of
 * all routes, the pages ask it which buttons to show (`mayAccess`), and a test checks that every
 * route the app has is in it and answers every role as the table says.
 *
 * A request that matches no rule is refused (404): a route added without a rule cannot be reached
 * until someone decides who may reach it.
 */
import { ROLES, type Role } from "../model/people.ts";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/**
 * - public: no login (the login pages, confirm links with their signature, the calendar feed with
 *   its key);
 * - signed-in: any logged-in person (logging out);
 * - a list of roles: a person with at least one of them.
 */
export type Audience = "public" | "signed-in" | readonly Role[];

/** dashboard: a session cookie; api: a bearer token; public: nothing. */
export type Area = "dashboard" | "api" | "public";

export interface AccessRule {
  method: Method;
  /** Hono's pattern syntax: `:name` for one path segment. */
  path: string;
  who: Audience;
  area: Area;
}

const EVERYONE: readonly Role[] = ROLES;
/** Workflows and the directory. */
const EDITORS: readonly Role[] = ["administrator", "editor"];
/** Starting and steering instances. */
const CASEWORKERS: readonly Role[] = ["administrator", "caseworker"];
const ADMINISTRATORS: readonly Role[] = ["administrator"];

const page = (method: Method, path: string, who: Audience): AccessRule => ({
  method,
  path,
  who,
  area: "dashboard",
});
const api = (method: Method, path: string, who: Audience): AccessRule => ({
  method,
  path: `/api${path}`,
  who,
  area: "api",
});
const open = (method: Method, path: string): AccessRule => ({ method, path, who: "public", area: "public" });

/** First match wins: a literal segment (`_new`) comes before the pattern it would also match (`:id`). */
export const ACCESS: readonly AccessRule[] = [
  // Without a login.
  open("GET", "/login"),
  open("POST", "/login"),
  open("GET", "/login/oidc"),
  open("GET", "/login/callback"),
  open("GET", "/language/:language"),
  open("GET", "/confirm/:id"),
  open("POST", "/confirm/:id"),
  open("GET", "/instances/:id/deadlines.ics"),
  page("POST", "/logout", "signed-in"),

  // Dashboard: reading.
  page("GET", "/", EVERYONE),
  // The overview's search as a file (overview/export-routes.ts).
  page("GET", "/deadlines.csv", EVERYONE),
  page("GET", "/deadlines.xlsx", EVERYONE),
  page("GET", "/instances", EVERYONE),
  page("GET", "/instances/_new", CASEWORKERS),
  page("POST", "/instances/_new", CASEWORKERS),
  page("GET", "/instances/:id", EVERYONE),
  page("GET", "/instances/:id/report", EVERYONE),
  // An instance's milestones and history as files: whoever sees its page (recorded as a view).
  page("GET", "/instances/:id/milestones.csv", EVERYONE),
  page("GET", "/instances/:id/milestones.xlsx", EVERYONE),
  page("GET", "/instances/:id/audit.csv", EVERYONE),
  page("GET", "/instances/:id/audit.xlsx", EVERYONE),
  page("GET", "/instances/:id/cancel", CASEWORKERS),
  page("POST", "/instances/:id/cancel", CASEWORKERS),
  page("GET", "/instances/:id/change/:action", CASEWORKERS),
  page("POST", "/instances/:id/change/:action", CASEWORKERS),
  // The notice to an applicant: the caseworker gives the date, previews and approves the mail.
  page("GET", "/instances/:id/notice", CASEWORKERS),
  page("POST", "/instances/:id/notice", CASEWORKERS),
  page("GET", "/workflows", EVERYONE),
  page("GET", "/workflows/_new", EDITORS),
  page("POST", "/workflows/_editor", EDITORS),
  page("GET", "/workflows/:id", EVERYONE),
  page("GET", "/workflows/:id/edit", EDITORS),
  page("GET", "/units", EVERYONE),
  page("GET", "/units/_new", EDITORS),
  page("POST", "/units/_new", EDITORS),
  page("GET", "/units/_import", EDITORS),
  page("POST", "/units/_import", EDITORS),
  page("GET", "/units/:id/edit", EDITORS),
  page("POST", "/units/:id/edit", EDITORS),
  page("GET", "/units/:id/delete", EDITORS),
  page("POST", "/units/:id/delete", EDITORS),
  // A unit's deputies, when its leader cannot set one from Mine frister.
  page("GET", "/units/:id/deputies", EDITORS),
  page("POST", "/units/:id/deputies", EDITORS),
  page("POST", "/units/:id/deputies/:deputyId/end", EDITORS),
  // Mail can name anyone in the directory and carries live confirm links.
  page("GET", "/outbox", ADMINISTRATORS),
  page("GET", "/outbox/:id", ADMINISTRATORS),
  page("GET", "/users", ADMINISTRATORS),
  page("GET", "/users/_new", ADMINISTRATORS),
  page("POST", "/users/_new", ADMINISTRATORS),
  page("GET", "/users/:id", ADMINISTRATORS),
  page("POST", "/users/:id", ADMINISTRATORS),
  page("POST", "/users/:id/sessions/end", ADMINISTRATORS),

  // The JSON API: the admin token (an administrator) or a personal API token (its owner's roles).
  api("POST", "/workflows", EDITORS),
  api("GET", "/workflows", EVERYONE),
  api("GET", "/workflows/:id", EVERYONE),
  // Removing what got in by mistake (a CPR number in an old version): audited, administrators only.
  api("DELETE", "/workflows/:id/versions/:version", ADMINISTRATORS),
  api("POST", "/instances", CASEWORKERS),
  api("GET", "/instances", EVERYONE),
  api("GET", "/instances/:id", EVERYONE),
  api("POST", "/instances/:id/cancel", CASEWORKERS),
  api("POST", "/instances/:id/changes/:action/preview", CASEWORKERS),
  api("POST", "/instances/:id/changes/:action", CASEWORKERS),
  api("GET", "/units", EVERYONE),
  api("GET", "/units/:id", EVERYONE),
  api("PUT", "/units/:id", EDITORS),
  api("DELETE", "/units/:id", EDITORS),

  // SAML 2.0 login (404 unless configured): the redirect, the ACS the provider posts to, the SP metadata.
  open("GET", "/login/saml"),
  open("POST", "/login/saml/callback"),
  open("GET", "/login/saml/metadata"),
  // Personal API tokens: everyone their own; an administrator anyone's.
  page("GET", "/tokens", EVERYONE),
  page("POST", "/tokens", EVERYONE),
  page("POST", "/tokens/:id/revoke", EVERYONE),
  page("GET", "/users/:id/tokens", ADMINISTRATORS),
  page("POST", "/users/:id/tokens/:token/revoke", ADMINISTRATORS),
  // The access log names staff and what they read: for a citizen's access request, administrators only.
  page("GET", "/access-log", ADMINISTRATORS),
  page("GET", "/access-log.csv", ADMINISTRATORS),
  // A leader's Mine frister page: the personal link's signature is the key (GET reads, POST acts).
  open("GET", "/mine/:id"),
  open("GET", "/mine/:id/deadlines.ics"),
  open("POST", "/mine/:id/confirm"),
  open("POST", "/mine/:id/deputies"),
  open("POST", "/mine/:id/deputies/:deputyId/end"),
  // A caseworker's grants: which workflows they may start and steer.
  page("POST", "/users/:id/grants", ADMINISTRATORS),
  // Every running instance of a version at once: administrators (one caseworker steers their own).
  api("POST", "/workflows/:id/migrate/preview", ADMINISTRATORS),
  api("POST", "/workflows/:id/migrate", ADMINISTRATORS),
  page("GET", "/workflows/:id/migrate", ADMINISTRATORS),
  page("POST", "/workflows/:id/migrate", ADMINISTRATORS),
  // What a start would send at once (a start before today), before it is made.
  api("POST", "/instances/_preview", CASEWORKERS),
  // The grammar reference the editor's errors link to: documentation, for every role.
  page("GET", "/workflows/_reference", EVERYONE),
  // A mail's attachment (its .ics) from the outbox: as the mail itself, administrators only.
  page("GET", "/outbox/:id/attachments/:n", ADMINISTRATORS),
  // The accessibility statement: for anyone, a leader from a confirm link has no login.
  open("GET", "/tilgaengelighed"),
];

function segments(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

/** A pattern's segments, each a literal or null for a `:name` (any one non-empty segment). */
type CompiledPattern = readonly (string | null)[];

function compilePattern(pattern: string): CompiledPattern {
  return segments(pattern).map((segment) => (segment.startsWith(":") ? null : segment));
}

function matchesCompiled(want: CompiledPattern, got: readonly string[]): boolean {
  if (want.length !== got.length) return false;
  return want.every((segment, i) => segment === null || segment === got[i]);
}

/** Pure: does a concrete path match a pattern (`:name` matches one non-empty segment)? */
export function matchesPattern(pattern: string, path: string): boolean {
  return matchesCompiled(compilePattern(pattern), segments(path));
}

/**
 * Every request is looked up in the table, so each table's patterns are split once, not per
 * request and rule; by table, as tests pass tables of their own.
 */
const compiledTables = new WeakMap<readonly AccessRule[], readonly CompiledPattern[]>();

function compiled(table: readonly AccessRule[]): readonly CompiledPattern[] {
  let patterns = compiledTables.get(table);
  if (patterns === undefined) {
    patterns = table.map((rule) => compilePattern(rule.path));
    compiledTables.set(table, patterns);
  }
  return patterns;
}

/** A trailing slash is the same page (Hono's router is not strict about it either). */
function pathSegments(path: string): string[] {
  return segments(path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path);
}

/** The rule for a request, or undefined. HEAD is answered like GET, as Hono does. */
export function findRule(
  method: string,
  path: string,
  table: readonly AccessRule[] = ACCESS,
): AccessRule | undefined {
  const wanted = method === "HEAD" ? "GET" : method;
  const got = pathSegments(path);
  const patterns = compiled(table);
  return table.find((rule, i) => rule.method === wanted && matchesCompiled(patterns[i] ?? [], got));
}

/** Pure: the methods some rule takes at this concrete path (none: the address does not exist). */
export function methodsAt(path: string, table: readonly AccessRule[] = ACCESS): Method[] {
  const got = pathSegments(path);
  const patterns = compiled(table);
  const methods = table.filter((_, i) => matchesCompiled(patterns[i] ?? [], got)).map((rule) => rule.method);
  return [...new Set(methods)];
}

/**
 * Where an address no rule matches belongs: under /api the caller must still prove who they are
 * before learning that nothing is there (the API never tells strangers which routes exist).
 */
export function areaOfUnknown(path: string): Area {
  return path === "/api" || path.startsWith("/api/") ? "api" : "public";
}

/** Pure: does the audience admit someone with these roles (null: nobody logged in)? */
export function admits(who: Audience, roles: readonly Role[] | null): boolean {
  if (who === "public") return true;
  if (roles === null) return false;
  if (who === "signed-in") return true;
  return who.some((role) => roles.includes(role));
}

/** May someone with these roles make this request? What the pages ask before showing a button. */
export function mayAccess(roles: readonly Role[] | null, method: Method, path: string): boolean {
  const rule = findRule(method, path);
  return rule !== undefined && admits(rule.who, roles);
}

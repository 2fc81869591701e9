/**
 * The access log: who looked at which instance, when, how and from where (Datatilsynet expects a
 * log of every use of sensitive personal data; a citizen may ask who read their case, CJEU
 * C-579/21). It is apart from the audit trail, which records changes.
 *
 * A view whose entry cannot be written fails (AccessLogUnavailableError, a 503): the log exists
 * so that no one reads a case unseen, and an entry that is only logged as an error is a read no
 * one can tell the citizen about. The entry is written before the page is sent, and the table
 * that refuses the entry almost always refuses the page's reads too, so failing costs little.
 */
import { z } from "zod";
import { FristflowError } from "../errors/errors.ts";
import type { Params } from "../model/schema.ts";
import type { AccessLogStore } from "../store/ports.ts";
import type { AccessActor, AccessLogEntry, AccessLogInput, AccessView } from "../store/records.ts";
import type { Clock } from "../time/clock.ts";
import type { AppSettings } from "./ports.ts";
import type { Principal } from "./sessions.ts";

export type { AccessActor, AccessLogEntry, AccessView };

/**
 * Six months at the least: the longest six months of the calendar (July to December) have 184
 * days, so no entry goes before six months have passed, whenever it was written.
 */
export const DEFAULT_ACCESS_LOG_DAYS = 184;
/** Ten years: beyond any retention rule, and keeps `expiresAt` a sane number. */
export const MAX_ACCESS_LOG_DAYS = 3653;
export const ACCESS_LOG_DAYS_ENV = "FRISTFLOW_ACCESS_LOG_DAYS";

/** The instance parameter a case reference is kept in (as in mails: shared/app/notify.ts). */
export const CASE_REFERENCE_PARAMETER = "caseRef";
/** A user agent is cut to this: enough to tell a browser, a calendar app and a script apart. */
export const USER_AGENT_LENGTH = 120;

export const CALENDAR_FEED_ACTOR: AccessActor = {
  kind: "calendar-feed",
  id: "calendar-feed",
  name: "calendar feed",
};

/** The retention as an environment variable holds it: a whole number of days. */
export const AccessLogDaysText = z
  .string()
  .regex(/^[1-9]\d{0,3}$/, "must be a whole number of days, e.g. 184")
  // Only a number can be too large: text is already refused above, once.
  .refine(
    (v) => !/^\d+$/.test(v) || Number(v) <= MAX_ACCESS_LOG_DAYS,
    `must be at most ${MAX_ACCESS_LOG_DAYS} days`,
  );

const DaysSchema = z.preprocess((v) => (v === "" ? undefined : v), AccessLogDaysText.optional());

/** The retention from the environment, or undefined for the default; a bad value throws, naming the variable. */
export function accessLogDaysFrom(env: Record<string, string | undefined>): number | undefined {
  const parsed = DaysSchema.safeParse(env[ACCESS_LOG_DAYS_ENV]);
  if (!parsed.success) {
    throw new RangeError(`${ACCESS_LOG_DAYS_ENV} ${parsed.error.issues[0]?.message ?? "is not valid"}`);
  }
  return parsed.data === undefined ? undefined : Number(parsed.data);
}

export class AccessLogUnavailableError extends FristflowError {
  readonly category = "unavailable" as const;
}

/** Pure: when an entry written at `at` expires, in epoch seconds (the table's TTL attribute). */
export function expiresAtOf(at: string, retentionDays: number = DEFAULT_ACCESS_LOG_DAYS): number {
  const seconds = Math.ceil(Date.parse(at) / 1000);
  if (!Number.isFinite(seconds)) throw new RangeError(`not an instant: ${at}`);
  return seconds + retentionDays * 24 * 60 * 60;
}

/** Pure: the instance's case reference, or undefined when it has none (or an empty one). */
export function caseRefOf(params: Params): string | undefined {
  const value = params[CASE_REFERENCE_PARAMETER];
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** Pure: who the log names for a logged-in request. */
export function actorFor(principal: Principal): AccessActor {
  return principal.kind === "user"
    ? { kind: "user", id: principal.userId, name: principal.name }
    : { kind: "admin-token", id: principal.userId, name: principal.name };
}

/** The instance a view showed, as far as the log needs it. */
export interface ViewedInstance {
  instanceId: string;
  workflowId: string;
  params: Params;
}

/** Where a request came from, as the HTTP layer saw it. */
export interface RequestOrigin {
  address: string;
  userAgent: string;
  requestId?: string;
}

export interface AccessRecord {
  who: AccessActor;
  view: AccessView;
  /** null for a view of no single instance (the list, an export). */
  instance: ViewedInstance | null;
  from: RequestOrigin;
  /** For an export: the case reference asked for. */
  caseRef?: string;
  detail?: string;
}

/** Pure: the entry for a view at `at`. */
export function accessEntry(record: AccessRecord, at: string, retentionDays?: number): AccessLogInput {
  const caseRef = record.instance === null ? record.caseRef : caseRefOf(record.instance.params);
  return {
    at,
    expiresAt: expiresAtOf(at, retentionDays),
    who: record.who,
    view: record.view,
    ...(record.instance === null
      ? {}
      : { instanceId: record.instance.instanceId, workflowId: record.instance.workflowId }),
    ...(caseRef === undefined ? {} : { caseRef }),
    address: record.from.address,
    userAgent: cut(record.from.userAgent, USER_AGENT_LENGTH),
    ...(record.from.requestId === undefined ? {} : { requestId: record.from.requestId }),
    ...(record.detail === undefined ? {} : { detail: record.detail }),
  };
}

export interface AccessLogDeps {
  accessLog: AccessLogStore;
  clock: Clock;
  settings: Pick<AppSettings, "accessLogRetentionDays">;
}

/** Writes the entry; AccessLogUnavailableError if it cannot be written (the view must then fail). */
export async function recordAccess(deps: AccessLogDeps, record: AccessRecord): Promise<AccessLogEntry> {
  const entry = accessEntry(record, deps.clock.now().toString(), deps.settings.accessLogRetentionDays);
  try {
    return await deps.accessLog.record(entry);
  } catch (err) {
    throw new AccessLogUnavailableError("the access log could not be written; nothing was shown", {
      cause: err,
    });
  }
}

/**
 * A citizen's access request: every entry for one case reference, oldest first. The export is
 * itself a read of the case, so it is recorded first, and so is in what it returns.
 */
export async function exportCaseLog(
  deps: AccessLogDeps,
  caseRef: string,
  who: AccessActor,
  from: RequestOrigin,
): Promise<AccessLogEntry[]> {
  await recordAccess(deps, { who, view: "access-log-export", instance: null, caseRef, from });
  return deps.accessLog.forCase(caseRef);
}

/** A case reference as an administrator types it: trimmed, printable, of a sane length. */
export const CaseRefSchema = z
  .string()
  .trim()
  .min(1, "type a case reference")
  .max(100, "a case reference is at most 100 characters")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here.
  .regex(/^[^\u0000-\u001f\u007f]+$/, "a case reference has no control characters");

function cut(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

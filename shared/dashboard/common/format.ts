/**
 * How the dashboard says dates, people and validator messages. Pure functions: the pages call
 * them and escape what they return.
 */
import { CPR_MESSAGE } from "../../model/cpr.ts";
import type { LocatedError } from "../../model/errors.ts";
import { formatNumeric } from "../../time/format.ts";
import type { Temporal } from "../../time/temporal.ts";
import type { RecipientRef } from "../../timeline/types.ts";
import type { DashboardStrings, Language } from "../strings.ts";

export const DEFAULT_TIMEZONE = "Europe/Copenhagen";

/** `31.10.2024 23:59` in the workflow's zone; a dash when there is no date (waiting on another milestone). */
export function dateTime(instant: string | null | undefined, timezone: string, s: DashboardStrings): string {
  return instant === null || instant === undefined ? s.none : formatNumeric(instant, timezone);
}

export function dateOnly(instant: string | null | undefined, timezone: string, s: DashboardStrings): string {
  return instant === null || instant === undefined
    ? s.none
    : formatNumeric(instant, timezone, { time: false });
}

/** Today's date (YYYY-MM-DD) where the municipality is: the default of every date field. */
export function localToday(now: Temporal.Instant, timezone = DEFAULT_TIMEZONE): string {
  return now.toZonedDateTimeISO(timezone).toPlainDate().toString();
}

/**
 * This ISO week (Monday to Monday, local time): Danes plan in week numbers, and "this week" ends
 * on Sunday night whatever day it is now.
 */
export function currentWeek(
  now: Temporal.Instant,
  timezone = DEFAULT_TIMEZONE,
): { week: number; end: Temporal.Instant } {
  const local = now.toZonedDateTimeISO(timezone);
  const monday = local
    .toPlainDate()
    .add({ days: 8 - local.dayOfWeek })
    .toZonedDateTime({ timeZone: timezone });
  return { week: local.weekOfYear ?? 0, end: monday.toInstant() };
}

/** Who a recipient reference means, in words; never an address. */
export function describeOwner(
  owner: RecipientRef | null,
  unitNames: ReadonlyMap<string, string>,
  s: DashboardStrings,
): string {
  if (owner === null) return s.none;
  if (owner.kind === "param") return s.ownerParam(owner.name);
  const unit = unitNames.get(owner.unitId) ?? owner.unitId;
  return owner.kind === "unitLeader" ? s.ownerLeader(unit) : s.ownerManager(unit);
}

/**
 * The audit trail's and the milestones' `by`: an opaque reference (`unitLeader:skole-a via link
 * abc`, `recipient:<hash> via link …`, `user:anna (Anna Berg)`, `admin-api`, `system`) said as a person would, without the
 * link id and without any address.
 */
export function describeActor(
  by: string,
  unitNames: ReadonlyMap<string, string>,
  s: DashboardStrings,
): string {
  const viaLink = / via link \S+$/.exec(by);
  const who = viaLink === null ? by : by.slice(0, viaLink.index);
  const said = describeRef(who, unitNames, s);
  return viaLink === null ? said : s.actor.viaLink(said);
}

function describeRef(ref: string, unitNames: ReadonlyMap<string, string>, s: DashboardStrings): string {
  if (ref === "system") return s.actor.system;
  if (ref === "admin-api") return s.actor.adminApi;
  if (ref === "admin-dashboard") return s.actor.adminDashboard;
  const [kind, rest = ""] = splitOnce(ref, ":");
  if (kind === "user") {
    // `user:<id> (<name>)`: the person by name, with the id that tells namesakes apart.
    const named = /^(\S+) \((.*)\)$/.exec(rest);
    return named === null ? rest : `${named[2]} (${named[1]})`;
  }
  if (kind === "unitLeader") return s.actor.leader(unitNames.get(rest) ?? rest);
  if (kind === "unitManager") return s.actor.manager(unitNames.get(rest) ?? rest);
  if (kind === "param") return s.actor.param(rest);
  if (kind === "recipient") return s.actor.recipient;
  // Anything else (a test's "test", a future kind) as written, but never an address.
  return ref.includes("@") ? s.actor.recipient : ref;
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

/** A refusal in the page's language: its Danish text on a Danish page when it has one. */
export function refusalText(error: Pick<LocatedError, "message" | "da">, language: Language): string {
  return language === "da" && error.da !== undefined ? error.da : error.message;
}

/**
 * The validator's English messages that a form shows under a field, in the page's language. The
 * rest pass through unchanged: they name paths and values an administrator can act on anyway.
 */
export function fieldMessage(message: string, s: DashboardStrings, language: Language): string {
  if (message.includes(CPR_MESSAGE)) return s.cprRefused;
  if (language === "en") return message;
  const rules: [RegExp, string][] = [
    [/^missing required parameter/, s.field.required],
    [/must not be empty/, s.field.required],
    [/is not a date that exists|is not a date or time that exists/, s.field.dateDoesNotExist],
    [/is not a date;/, s.field.notADate],
    [/is not a number/, s.field.notANumber],
    [/is not an e-mail address/, s.field.invalidEmail],
    [/does not match the pattern/, s.field.patternMismatch],
    [/^unknown unit/, s.field.unknownUnit],
    [/^no unit of type/, s.field.noUnitOfType],
    [/^unknown workflow/, s.field.unknownWorkflow],
    [/has no version/, s.field.unknownVersion],
    [/^must be a date YYYY-MM-DD/, s.field.notADate],
  ];
  for (const [pattern, text] of rules) if (pattern.test(message)) return text;
  return message;
}

/**
 * The audit trail in words: "Påmindelse om »Handleplan – Skole A« sendt til leder af Skole A".
 * Entries carry ids only (occurrence keys, recipient references), so the trail names people by
 * role and unit and never shows an address. Every action of the trail (shared/store/audit-actions.ts)
 * has a case here (the switch is exhaustive by type); an action this version does not know (a
 * trail written by a newer one) still reads as words, never as its dotted name.
 */
import { type AuditAction, isAuditAction } from "../../store/audit-actions.ts";
import type { AuditEntry, JsonValue } from "../../store/records.ts";
import type { NotificationKind } from "../../timeline/types.ts";
import { describeActor } from "../common/format.ts";
import type { DashboardStrings } from "../strings.ts";

export interface OccurrenceNames {
  /** Milestone id to its title in the page's language. */
  titles: ReadonlyMap<string, string>;
  /** Unit id to name: the instance's units and the directory's. */
  units: ReadonlyMap<string, string>;
  /** Milestones that repeat, so "#2" tells the repetitions apart. */
  recurring: ReadonlySet<string>;
}

/** `milestone/unit-or-dash/index` as a reader says it: "Handleplan – Skole A", "Årlig status #2". */
export function occurrenceLabel(key: string, names: OccurrenceNames): string {
  const [milestoneId = key, unitId = "-", index = "0"] = key.split("/");
  const title = names.titles.get(milestoneId) ?? milestoneId;
  const numbered = names.recurring.has(milestoneId) ? `${title} #${Number(index) + 1}` : title;
  return unitId === "-" ? numbered : `${numbered} – ${names.units.get(unitId) ?? unitId}`;
}

export interface AuditLine {
  at: string;
  who: string;
  what: string;
  /** A second line, e.g. a cancellation's reason. */
  detail?: string;
  /** The reason as given, without the "Begrundelse:" of `detail` (the exports' own column). */
  reason?: string;
}

function text(details: AuditEntry["details"], key: string): string | undefined {
  const value: JsonValue | undefined = details?.[key];
  return typeof value === "string" ? value : undefined;
}

function count(details: AuditEntry["details"], key: string): number | undefined {
  const value: JsonValue | undefined = details?.[key];
  return typeof value === "number" && Number.isInteger(value) ? value : undefined;
}

/** An entry's reason as its second line, when it has one. */
function reasonOf(e: AuditEntry, s: DashboardStrings): { detail?: string } {
  const reason = text(e.details, "reason");
  return reason ? { detail: s.audit.reason(reason) } : {};
}

const KINDS = new Set<string>(["reminder", "escalation", "activated", "notice", "reopened"]);

/** The actions whose line names the milestone occurrence (`occurrenceKey` in the details). */
const NAMES_A_MILESTONE = new Set<AuditAction>([
  "confirmation.recorded",
  "confirmation.via-link",
  "confirmation.ignored",
  "confirmation.on-behalf",
  "confirmation.undone",
  "deadline.moved",
  "notification.sent",
  "notification.failed",
  "notice.approved",
]);

/**
 * One line per entry, oldest first. A link confirmation writes two entries (the recorded
 * confirmation and the link's use); the first already says it came through a link, so the
 * second is folded into it.
 */
export function auditLines(
  entries: readonly AuditEntry[],
  names: OccurrenceNames,
  s: DashboardStrings,
): AuditLine[] {
  const linkConfirmations = new Set(
    entries
      .filter((e) => e.action === "confirmation.recorded")
      .map((e) => text(e.details, "linkId"))
      .filter((id): id is string => id !== undefined),
  );
  const lines: AuditLine[] = [];
  for (const e of entries) {
    const occurrence = text(e.details, "occurrenceKey");
    const label = occurrence === undefined ? "" : occurrenceLabel(occurrence, names);
    const who = describeActor(e.by, names.units, s);
    // Read from the store: a trail written by another version may hold an action not in the list.
    const action: string = e.action;
    if (!isAuditAction(action)) {
      lines.push({ at: e.at, who, what: s.audit.unknown, detail: s.audit.unknownDetail(inWords(action)) });
      continue;
    }
    // An entry about a milestone that does not name one (an old or damaged entry): the plain line.
    if (label === "" && NAMES_A_MILESTONE.has(action)) {
      lines.push({ at: e.at, who, what: s.audit.action[action], ...reasonOf(e, s) });
      continue;
    }
    switch (action) {
      case "instance.created": {
        // A start before today says how its past was treated (shared/app/start-preview.ts).
        const chosen = text(e.details, "past");
        const past =
          chosen === "history"
            ? s.audit.pastHistory
            : chosen === "catch-up"
              ? s.audit.pastCatchUp
              : undefined;
        lines.push({ at: e.at, who, what: s.audit.created, ...(past === undefined ? {} : { detail: past }) });
        break;
      }
      case "confirmation.recorded":
        lines.push({
          at: e.at,
          who,
          what: text(e.details, "linkId") === undefined ? s.audit.confirmed(label) : s.audit.viaLink(label),
        });
        break;
      case "confirmation.via-link": {
        const linkId = text(e.details, "linkId");
        if (linkId !== undefined && linkConfirmations.has(linkId)) break;
        lines.push({ at: e.at, who, what: s.audit.viaLink(label) });
        break;
      }
      case "notification.sent":
      case "notification.failed": {
        // Counted as sent by a change (a shifted deadline's, a migration's): nothing went out now.
        if (e.details?.carriedOver === true) break;
        const kind = text(e.details, "kind");
        const kindLabel =
          kind !== undefined && KINDS.has(kind) ? s.notificationKind[kind as NotificationKind] : s.audit.mail;
        const to = describeActor(text(e.details, "recipient") ?? "", names.units, s);
        lines.push({
          at: e.at,
          who,
          what:
            e.action === "notification.sent"
              ? s.audit.sent(kindLabel, label, to)
              : s.audit.failed(kindLabel, label, to),
        });
        break;
      }
      case "instance.cancelled": {
        const reason = text(e.details, "reason");
        lines.push({
          at: e.at,
          who,
          what: s.audit.cancelled,
          ...(reason ? { detail: s.audit.reason(reason), reason } : {}),
        });
        break;
      }
      case "instance.done":
        lines.push({ at: e.at, who, what: s.audit.done });
        break;
      case "instance.failed":
        lines.push({ at: e.at, who, what: s.audit.failedInstance });
        break;
      case "deadline.moved":
        lines.push({ at: e.at, who, what: s.audit.moved(label) });
        break;
      case "loop.execution-started":
        lines.push({ at: e.at, who, what: s.audit.executionStarted });
        break;
      case "confirmation.ignored":
        lines.push({ at: e.at, who, what: s.audit.ignored(label) });
        break;
      case "confirmation.on-behalf":
      case "confirmation.undone": {
        const reason = text(e.details, "reason");
        const what = e.action === "confirmation.undone" ? s.audit.undone(label) : s.audit.onBehalf(label);
        lines.push({ at: e.at, who, what, ...(reason ? { detail: s.audit.reason(reason), reason } : {}) });
        break;
      }
      case "instance.held":
      case "instance.resumed":
        lines.push(holdLine(e, who, s));
        break;
      case "loop.failed": {
        const n = count(e.details, "failuresInARow") ?? 1;
        const what = e.details?.giveUp === true ? s.audit.loopGaveUp(n) : s.audit.loopFailed(n);
        lines.push({ at: e.at, who, what });
        break;
      }
      case "notice.approved":
        lines.push({
          at: e.at,
          who,
          what: s.audit.noticeApproved(label),
        });
        break;
      case "unit.added":
      case "unit.removed": {
        const unit = text(e.details, "unitName") ?? text(e.details, "unitId");
        const what =
          unit === undefined
            ? s.audit.action[action]
            : action === "unit.added"
              ? s.audit.unitAdded(unit)
              : s.audit.unitRemoved(unit);
        lines.push({ at: e.at, who, what, ...reasonOf(e, s) });
        break;
      }
      case "instance.migrated": {
        const from = count(e.details, "fromVersion");
        const to = count(e.details, "toVersion");
        const what =
          from === undefined || to === undefined ? s.audit.action[action] : s.audit.migrated(from, to);
        lines.push({ at: e.at, who, what, ...reasonOf(e, s) });
        break;
      }
      // Written to other trails than an instance's (a user's, a unit's, the security trail, a
      // workflow's): in words all the same, wherever a page shows them.
      case "deputy.set":
      case "deputy.ended":
      case "user.grants.changed":
      case "user.roles.changed":
      case "apiToken.created":
      case "apiToken.revoked":
      case "attempts.limited":
      case "workflow.version.deleted":
        lines.push({ at: e.at, who, what: s.audit.action[action], ...reasonOf(e, s) });
        break;
      default: {
        // Every action has its case: a new one in the list fails to compile here until it does.
        const missing: never = action;
        throw new Error(`no words for the audit action ${String(missing)}`);
      }
    }
  }
  return lines;
}

/** `some.new-action` as words (`some new action`): readable, without the dots and dashes of a key. */
function inWords(action: string): string {
  return action
    .replace(/[._-]+/g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
}

/** A hold or a resume, with its reason; a resume says whether the deadlines kept or moved. */
function holdLine(e: AuditEntry, who: string, s: DashboardStrings): AuditLine {
  const reason = text(e.details, "reason");
  const shifted = e.details?.shifted;
  const what =
    e.action === "instance.held"
      ? s.audit.held
      : text(e.details, "deadlines") === "shift"
        ? s.audit.resumedShifted(Array.isArray(shifted) ? shifted.length : 0)
        : s.audit.resumedKept;
  return { at: e.at, who, what, ...(reason ? { detail: s.audit.reason(reason), reason } : {}) };
}

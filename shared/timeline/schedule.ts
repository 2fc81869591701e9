/**
 * The schedule: every occurrence of every milestone with its deadline and the instants of its
 * reminders, escalations and notices. Both plan() and decide() build on it; they differ only in
 * when a dependency counts as complete (plan: on its deadline; decide: when it was confirmed).
 */
import { addDuration, subtractDuration } from "../time/arithmetic.ts";
import { hasTimePart, type ParsedDuration } from "../time/duration.ts";
import { Temporal } from "../time/temporal.ts";
import {
  beyondHorizon,
  MAX_HORIZON_YEARS,
  MAX_OCCURRENCES_PER_INSTANCE,
  MAX_REPETITIONS,
  tooManyOccurrences,
  tooManyRepetitions,
} from "./ceilings.ts";
import type { CompiledMilestone, CompiledWorkflow } from "./compile.ts";
import type { InstanceUnit, RecipientRef } from "./types.ts";

/**
 * Bound on occurrences of one recurring milestone when no ceiling is enforced (decide() on an
 * instance started before the ceilings existed): it keeps running, truncated.
 */
const MAX_OCCURRENCES = 1000;

export interface TimedNotification {
  kind: "activated" | "reminder" | "escalation" | "notice";
  /** What distinguishes it within the occurrence: the offset text or the escalation level. */
  detail: string;
  at: Temporal.Instant;
  /** `at` as an ISO string, kept because Temporal's toString is slow and decide() needs it often. */
  atIso: string;
  recipient: RecipientRef;
  offset?: string;
  level?: number;
}

export interface ScheduledOccurrence {
  key: string;
  milestone: CompiledMilestone;
  unitId: string | null;
  index: number;
  /** Null while the confirmation it counts from has not happened. */
  due: Temporal.Instant | null;
  dueIso: string | null;
  /** When all dependencies were complete; null while one is not. Start for milestones without any. */
  activation: Temporal.Instant | null;
  /** Deadline given as a date (due at dueTime): day-based reminders then go out at notifyTime. */
  dateBased: boolean;
  owner: RecipientRef | null;
  notifications: TimedNotification[];
}

export interface ScheduleInput {
  compiled: CompiledWorkflow;
  start: Temporal.Instant;
  units: InstanceUnit[];
  dueOverrides: Record<string, string>;
  /** When an occurrence counts as complete for those that depend on it; null if not (yet). */
  completion: (occurrence: ScheduledOccurrence) => Temporal.Instant | null;
  /**
   * Refuse (PlanLimitError) a plan over the ceilings in ceilings.ts instead of truncating it;
   * plan() and the start of an instance do, before any work the ceiling is there to prevent.
   */
  enforceCeilings?: boolean;
  /** Skip the notifications (the costly part) when only the shape of the plan is wanted. */
  withoutNotifications?: boolean;
}

export function occurrenceKey(milestoneId: string, unitId: string | null, index: number): string {
  return `${milestoneId}/${unitId ?? "-"}/${index}`;
}

function scale(d: ParsedDuration, k: number): ParsedDuration {
  if (d.kind === "workingDays") return { kind: "workingDays", days: d.days * k };
  return {
    kind: "calendar",
    years: d.years * k,
    months: d.months * k,
    weeks: d.weeks * k,
    days: d.days * k,
    hours: d.hours * k,
    minutes: d.minutes * k,
    seconds: d.seconds * k,
  };
}

function isDayBased(d: ParsedDuration): boolean {
  return d.kind === "workingDays" || !hasTimePart(d);
}

export function resolveRecipient(
  spec: string,
  unitId: string | null,
  owner: string | null,
): RecipientRef | null {
  if (spec === "leader") return unitId ? { kind: "unitLeader", unitId } : null;
  if (spec.startsWith("unit:")) return { kind: "unitLeader", unitId: spec.slice(5) };
  if (spec.startsWith("param:")) return { kind: "param", name: spec.slice(6) };
  if (spec === "manager") {
    if (owner === "leader") return unitId ? { kind: "unitManager", unitId } : null;
    if (owner?.startsWith("unit:")) return { kind: "unitManager", unitId: owner.slice(5) };
    return null;
  }
  return null;
}

/** Pure schedule arithmetic for one workflow in its timezone and business calendar. */
class Timeline {
  constructor(private readonly c: CompiledWorkflow) {}

  /** Pure results are cached on the compiled definition; the bound keeps memory flat for long runs. */
  memoized<T>(key: string, compute: () => T): T {
    const memo = this.c.memo;
    if (memo.has(key)) return memo.get(key) as T;
    if (memo.size > 20_000) memo.clear();
    const value = compute();
    memo.set(key, value);
    return value;
  }

  zoned(instant: Temporal.Instant): Temporal.ZonedDateTime {
    return instant.toZonedDateTimeISO(this.c.timezone);
  }

  atLocal(date: Temporal.PlainDate, time: { hour: number; minute: number }): Temporal.ZonedDateTime {
    return date.toZonedDateTime({
      timeZone: this.c.timezone,
      plainTime: new Temporal.PlainTime(time.hour, time.minute),
    });
  }

  /** The first deadline of a milestone, before recurrence; null if its anchor is not complete. */
  baseDue(
    m: CompiledMilestone,
    start: Temporal.Instant,
    anchor: Temporal.Instant | null,
  ): { due: Temporal.ZonedDateTime; dateBased: boolean } | null {
    const rule = m.due;
    if (rule.kind === "date")
      return { due: this.atLocal(Temporal.PlainDate.from(rule.date), this.c.dueTime), dateBased: true };
    if (rule.kind === "dateTime") {
      return {
        due: Temporal.PlainDateTime.from(rule.dateTime).toZonedDateTime(this.c.timezone),
        dateBased: false,
      };
    }
    const from = rule.from === "start" ? start : anchor;
    if (!from) return null;
    const moved = addDuration(this.zoned(from), rule.duration, this.c.calendar);
    if (!isDayBased(rule.duration)) return { due: moved, dateBased: false };
    return { due: this.atLocal(moved.toPlainDate(), this.c.dueTime), dateBased: true };
  }

  adjust(due: Temporal.ZonedDateTime, m: CompiledMilestone, dateBased: boolean): Temporal.ZonedDateTime {
    if (!m.adjustToWorkingDay || !dateBased) return due;
    const date = this.c.calendar.nextWorkingDay(due.toPlainDate());
    return date.equals(due.toPlainDate()) ? due : this.atLocal(date, this.c.dueTime);
  }

  /** Deadlines of all repetitions, computed from the first so month-end clamping never drifts. */
  repetitions(
    m: CompiledMilestone,
    first: Temporal.ZonedDateTime,
    start: Temporal.Instant,
    bound = MAX_OCCURRENCES,
  ): Temporal.ZonedDateTime[] {
    const r = m.recurrence;
    if (!r) return [first];
    const untilInstant = r.untilDuration
      ? addDuration(this.zoned(start), r.untilDuration, this.c.calendar).toInstant()
      : null;
    const untilDate = r.untilDate ? Temporal.PlainDate.from(r.untilDate) : null;
    const out: Temporal.ZonedDateTime[] = [];
    for (let k = 0; k < bound; k++) {
      if (r.count !== undefined && k >= r.count) break;
      const due = k === 0 ? first : addDuration(first, scale(r.every, k), this.c.calendar);
      if (untilDate && Temporal.PlainDate.compare(due.toPlainDate(), untilDate) > 0) break;
      if (untilInstant && Temporal.Instant.compare(due.toInstant(), untilInstant) > 0) break;
      out.push(due);
    }
    return out;
  }

  /** A reminder or notice `offset` before the deadline; day-based ones at notifyTime on a working day. */
  before(due: Temporal.ZonedDateTime, offset: ParsedDuration, dateBased: boolean): Temporal.Instant | null {
    let at: Temporal.ZonedDateTime;
    if (dateBased && isDayBased(offset)) {
      const day = subtractDuration(
        this.atLocal(due.toPlainDate(), this.c.notifyTime),
        offset,
        this.c.calendar,
      );
      at = this.atLocal(this.c.calendar.previousWorkingDay(day.toPlainDate()), this.c.notifyTime);
    } else {
      at = subtractDuration(due, offset, this.c.calendar);
    }
    // A reminder that would land after the deadline (notifyTime later than dueTime) is pointless.
    return Temporal.Instant.compare(at.toInstant(), due.toInstant()) < 0 ? at.toInstant() : null;
  }

  /** `offset` after an instant; day-based steps from a date deadline land at notifyTime on a working day. */
  later(from: Temporal.ZonedDateTime, offset: ParsedDuration, dateBased: boolean): Temporal.ZonedDateTime {
    const moved = addDuration(from, offset, this.c.calendar);
    if (!dateBased || !isDayBased(offset)) return moved;
    return this.atLocal(this.c.calendar.nextWorkingDay(moved.toPlainDate()), this.c.notifyTime);
  }

  notifications(
    m: CompiledMilestone,
    unitId: string | null,
    owner: RecipientRef | null,
    due: Temporal.ZonedDateTime,
    dateBased: boolean,
    escalateFrom: Temporal.ZonedDateTime = due,
  ): TimedNotification[] {
    const out: TimedNotification[] = [];
    if (owner) {
      for (const r of m.reminders) {
        const at = this.before(due, r.duration, dateBased);
        // Two offsets can land on one morning (P3D and P2D before a Monday): one mail, not two.
        if (at && !out.some((n) => n.at.equals(at))) {
          out.push({
            kind: "reminder",
            detail: r.text,
            at,
            atIso: at.toString(),
            recipient: owner,
            offset: r.text,
          });
        }
      }
    }
    const esc = m.escalation;
    const escalateTo = esc ? resolveRecipient(esc.to, unitId, m.owner) : null;
    if (esc && escalateTo) {
      // Each level follows the previous one, so a weekend never stacks two levels on one Monday.
      let at = this.later(
        dateBased ? this.atLocal(escalateFrom.toPlainDate(), this.c.notifyTime) : escalateFrom,
        esc.after,
        dateBased,
      );
      if (Temporal.ZonedDateTime.compare(at, escalateFrom) <= 0) {
        at = addDuration(escalateFrom, esc.after, this.c.calendar);
      }
      for (let level = 1; level <= esc.max; level++) {
        const instant = at.toInstant();
        out.push({
          kind: "escalation",
          detail: String(level),
          at: instant,
          atIso: instant.toString(),
          recipient: escalateTo,
          level,
        });
        at = this.later(at, esc.every, dateBased);
      }
    }
    // A notice's mail asks the owner (the caseworker) for the expected date; the citizen is
    // written to only when the caseworker approves the text (shared/app/citizen-notice.ts).
    m.notices.forEach((n, i) => {
      const at = this.before(due, n.before, dateBased);
      if (owner && resolveRecipient(n.to, unitId, m.owner) && at)
        out.push({
          kind: "notice",
          detail: `${i}`,
          at,
          atIso: at.toString(),
          recipient: owner,
          offset: n.text,
        });
    });
    return out;
  }
}

/** Builds every occurrence in dependency order, resolving anchors through `completion`. */
export function buildSchedule(input: ScheduleInput): ScheduledOccurrence[] {
  const { compiled, start, units } = input;
  const timeline = new Timeline(compiled);
  const enforce = input.enforceCeilings === true;
  const horizon = enforce ? timeline.zoned(start).add({ years: MAX_HORIZON_YEARS }).toInstant() : null;
  const indexOf = new Map(compiled.workflow.milestones.map((m, i) => [m.id, i]));
  const byMilestone = new Map<string, ScheduledOccurrence[]>();
  const all: ScheduledOccurrence[] = [];

  const dependencyOccurrences = (depId: string, unitId: string | null): ScheduledOccurrence[] => {
    const deps = byMilestone.get(depId) ?? [];
    // Fan-out to fan-out: a unit waits only for its own occurrence when the dependency has one.
    if (unitId !== null && deps.some((d) => d.unitId === unitId))
      return deps.filter((d) => d.unitId === unitId);
    return deps;
  };

  const latestCompletion = (occurrences: ScheduledOccurrence[]): Temporal.Instant | null => {
    let latest: Temporal.Instant | null = null;
    for (const o of occurrences) {
      const done = input.completion(o);
      if (!done) return null;
      if (!latest || Temporal.Instant.compare(done, latest) > 0) latest = done;
    }
    return latest;
  };

  for (const m of compiled.milestones) {
    const unitIds = m.forEach ? units.filter((u) => m.forEach?.includes(u.type)).map((u) => u.id) : [null];
    const list: ScheduledOccurrence[] = [];
    const index = indexOf.get(m.id) ?? 0;
    let checked = false;
    for (const unitId of unitIds) {
      const deps = m.after.map((id) => dependencyOccurrences(id, unitId));
      const completions = deps.map(latestCompletion);
      const activation =
        deps.length === 0
          ? start
          : completions.some((c) => c === null)
            ? null
            : completions.reduce<Temporal.Instant>(
                (a, b) => (b && Temporal.Instant.compare(b, a) > 0 ? b : a),
                start,
              );
      const anchorIndex =
        m.due.kind === "relative" && m.due.from !== "start" ? m.after.indexOf(m.due.from) : -1;
      const anchor = anchorIndex >= 0 ? (completions[anchorIndex] ?? null) : null;
      const owner = m.owner ? resolveRecipient(m.owner, unitId, m.owner) : null;
      const base = timeline.memoized(
        `base|${m.id}|${start.epochMilliseconds}|${anchor?.epochMilliseconds}`,
        () => timeline.baseDue(m, start, anchor),
      );
      if (!base) {
        const key = occurrenceKey(m.id, unitId, 0);
        list.push({
          key,
          milestone: m,
          unitId,
          index: 0,
          due: null,
          dueIso: null,
          activation,
          dateBased: true,
          owner,
          notifications: [],
        });
        continue;
      }
      const repetitions = enforce
        ? timeline.repetitions(m, base.due, start, MAX_REPETITIONS + 1)
        : timeline.memoized(`rep|${m.id}|${start.epochMilliseconds}|${base.due.epochMilliseconds}`, () =>
            timeline.repetitions(m, base.due, start),
          );
      if (enforce && horizon !== null) {
        if (repetitions.length > MAX_REPETITIONS) throw tooManyRepetitions(m.id, index);
        const last = repetitions[repetitions.length - 1];
        if (last !== undefined && Temporal.Instant.compare(last.toInstant(), horizon) > 0) {
          throw beyondHorizon(m.id, index);
        }
        // Before any occurrence of it is built: the first unit's count stands for every unit's.
        const projected = all.length + list.length + repetitions.length * (unitIds.length - list.length);
        if (!checked && projected > MAX_OCCURRENCES_PER_INSTANCE) {
          throw tooManyOccurrences(m.id, index, projected, unitIds.length);
        }
        checked = true;
      }
      repetitions.forEach((planned, index) => {
        const key = occurrenceKey(m.id, unitId, index);
        const override = input.dueOverrides[key];
        const due = override
          ? Temporal.Instant.from(override).toZonedDateTimeISO(compiled.timezone)
          : timeline.adjust(planned, m, base.dateBased);
        // A milestone that could only start after its deadline is escalated from when it could
        // start: its owner could not act before the dependency arrived.
        const escalateFrom =
          m.after.length > 0 && activation && Temporal.Instant.compare(activation, due.toInstant()) > 0
            ? timeline.zoned(activation)
            : due;
        list.push({
          key,
          milestone: m,
          unitId,
          index,
          due: due.toInstant(),
          dueIso: timeline.memoized(`iso|${due.epochMilliseconds}`, () => due.toInstant().toString()),
          activation,
          dateBased: base.dateBased,
          owner,
          notifications:
            m.confirmable && input.withoutNotifications !== true
              ? timeline.memoized(
                  `n|${m.id}|${unitId}|${due.epochMilliseconds}|${base.dateBased}|${escalateFrom.epochMilliseconds}`,
                  () => timeline.notifications(m, unitId, owner, due, base.dateBased, escalateFrom),
                )
              : [],
        });
      });
    }
    byMilestone.set(m.id, list);
    all.push(...list);
  }
  return all;
}

/**
 * What an active occurrence may send, given when it became active: the one rule plan() and
 * decide() share.
 * - A milestone that waits for others announces itself once ("your turn"), on its first
 *   repetition only: later repetitions of a series are reminded as usual, not announced in bulk.
 * - Reminders that fell before activation are skipped: the announcement replaces them.
 * - Escalations of a milestone that became active after its deadline already count from its
 *   activation (see buildSchedule), so none falls before it.
 */
export function effectiveNotifications(
  occ: ScheduledOccurrence,
  activation: Temporal.Instant,
): TimedNotification[] {
  const waited = occ.milestone.after.length > 0;
  const out: TimedNotification[] = [];
  if (waited && occ.index === 0 && occ.owner && occ.milestone.confirmable) {
    out.push({
      kind: "activated",
      detail: "-",
      at: activation,
      atIso: activation.toString(),
      recipient: occ.owner,
    });
  }
  for (const n of occ.notifications) {
    if (n.kind === "reminder" && Temporal.Instant.compare(n.at, activation) < 0) continue;
    out.push(n);
  }
  return out;
}

/**
 * Move a running instance to a newer version of its workflow. The migration plan (migration-plan.ts)
 * says per milestone kept / renamed / removed / added; confirmations of kept and renamed milestones
 * are kept (a renamed one's state moves to its new key), as are the sent marks of their mails, so
 * nobody is reminded twice of what they were reminded of before. Removed milestones' states go;
 * their confirmations stay in the audit trail. The loop writes the added milestones' states on its
 * next step, as for a new instance.
 */
import { z } from "zod";
import { quote, quoteDa } from "../../model/errors.ts";
import { IdSchema } from "../../model/schema.ts";
import { changeItemCount } from "../../store/changes.ts";
import { MAX_CHANGE_ITEMS, type MilestoneRecord } from "../../store/records.ts";
import { occurrenceStatus } from "../../timeline/decide.ts";
import { BODY_FILE, InvalidInputError, located } from "../admin-input.ts";
import type { SteerAction } from "./actions.ts";
import type { SteerContext } from "./change.ts";
import { carriedKey, type MigrationPlan, migrationPlan } from "./migration-plan.ts";
import { type ProposedChange, stateAfterChange } from "./preview.ts";

export const migrateShape = {
  /** The version to move to; left out, the latest. */
  toVersion: z.number().int().min(1).optional(),
  /** Old milestone id → new id, or null to remove it (see MilestoneMapping). */
  mapping: z.record(IdSchema, IdSchema.nullable()).optional(),
};

type MigrateInput = { toVersion?: number | undefined; mapping?: Record<string, string | null> | undefined };

/** A notification key (`<instance>/<occurrence key>/<kind>/…`) in the new version, or null. */
function carriedNotificationKey(plan: MigrationPlan, instanceId: string, key: string): string | null {
  const prefix = `${instanceId}/`;
  if (!key.startsWith(prefix)) return null;
  const parts = key.slice(prefix.length).split("/");
  const occurrence = carriedKey(plan, parts.slice(0, 3).join("/"));
  return occurrence === null ? null : `${prefix}${[occurrence, ...parts.slice(3)].join("/")}`;
}

export async function proposeMigration(
  context: SteerContext,
  input: MigrateInput,
  meta: { reason: string; by: string },
): Promise<ProposedChange & { plan: MigrationPlan }> {
  const { loaded, definition, now } = context;
  const { instance } = loaded;
  const target = await context.version(input.toVersion);
  const refuse = (path: string[], message: string, da: string) =>
    new InvalidInputError([located(BODY_FILE, path, message, da)]);
  if (target === null) {
    throw refuse(
      ["toVersion"],
      `workflow ${quote(instance.workflowId)} has no version ${input.toVersion}`,
      `Skabelonen ${quoteDa(instance.workflowId)} har ingen version ${input.toVersion}.`,
    );
  }
  if (target.version <= instance.workflowVersion) {
    throw refuse(
      ["toVersion"],
      `the instance runs version ${instance.workflowVersion}; choose a newer version than that`,
      `Forløbet kører version ${instance.workflowVersion}. Vælg en nyere version end den.`,
    );
  }
  const { plan, problems } = migrationPlan(
    { version: instance.workflowVersion, definition },
    { version: target.version, definition: target.definition },
    input.mapping ?? {},
  );
  if (problems.length > 0) {
    throw new InvalidInputError(problems.map((p) => located(BODY_FILE, ["mapping", p.at], p.message, p.da)));
  }

  const instanceId = instance.instanceId;
  const renamed = new Map<string, string>();
  const removed: string[] = [];
  for (const record of loaded.milestones) {
    const key = carriedKey(plan, record.occurrenceKey);
    if (key === null) removed.push(record.occurrenceKey);
    else if (key !== record.occurrenceKey) renamed.set(record.occurrenceKey, key);
  }
  const dueOverrides: Record<string, string> = {};
  for (const [key, due] of Object.entries(loaded.state.dueOverrides)) {
    const carried = carriedKey(plan, key);
    if (carried !== null) dueOverrides[carried] = due;
  }
  const markSent = loaded.state.sent.flatMap((key) => {
    const carried = carriedNotificationKey(plan, instanceId, key);
    return carried === null || carried === key ? [] : [carried];
  });
  const put: MilestoneRecord[] = loaded.milestones.flatMap((record) => {
    const key = renamed.get(record.occurrenceKey);
    if (key === undefined) return [];
    const milestoneId = key.slice(0, key.indexOf("/"));
    return [{ ...record, occurrenceKey: key, milestoneId, workflowVersion: target.version }];
  });

  const draft = {
    set: { dueOverrides, workflowVersion: target.version },
    put,
    remove: [...removed, ...renamed.keys()],
    markSent,
  };
  const planned = new Set(
    occurrenceStatus(target.definition, stateAfterChange(loaded.state, draft), now).map((o) => o.key),
  );
  // States the new version does not plan at all (e.g. fewer repetitions) go too.
  const dropped = new Set([
    ...removed,
    ...loaded.milestones
      .map((r) => renamed.get(r.occurrenceKey) ?? r.occurrenceKey)
      .filter((key) => !planned.has(key) && !removed.includes(key)),
  ]);
  /** The stored states that do not carry over, by their key now. */
  const goes = loaded.milestones.filter((r) => dropped.has(renamed.get(r.occurrenceKey) ?? r.occurrenceKey));
  const confirmationsDropped = goes.filter((r) => r.status === "confirmed").map((r) => r.occurrenceKey);
  const change = {
    ...draft,
    put: put.filter((r) => planned.has(r.occurrenceKey)),
    remove: [
      ...new Set([
        ...draft.remove,
        ...[...dropped].filter((key) => !put.some((r) => r.occurrenceKey === key)),
      ]),
    ],
    audit: {
      action: "instance.migrated" as const,
      by: meta.by,
      details: {
        reason: meta.reason,
        fromVersion: plan.fromVersion,
        toVersion: plan.toVersion,
        milestones: plan.milestones.map((m) => ({ from: m.from, fate: m.fate, to: m.to })),
        added: plan.added,
        removedOccurrences: goes.map((r) => r.occurrenceKey),
        renamedOccurrences: renamed.size,
        // Their confirmation entries stay in this trail; only the milestone states go.
        confirmationsDropped,
      },
    },
  };
  const items = changeItemCount({ ...change, instanceId, expectedRev: 0 });
  if (items > MAX_CHANGE_ITEMS) {
    throw refuse(
      ["toVersion"],
      `this migration rewrites ${items} stored milestone states and mail marks; at most ${MAX_CHANGE_ITEMS} fit in one change: rename fewer milestones at once (map the others to themselves in a later version)`,
      `Flytningen skal skrive ${items} milepæle og mails om, men højst ${MAX_CHANGE_ITEMS} kan ændres på én gang. Omdøb færre milepæle ad gangen (lad de andre beholde deres navn til en senere version).`,
    );
  }
  return { change, definitionAfter: target.definition, plan };
}

export const migrateAction: SteerAction<typeof migrateShape> = {
  name: "migrate",
  shape: migrateShape,
  propose: proposeMigration,
};

/**
 * The deciding half of the loop's step (shared/app/step.ts): read the instance, run decide() at the
 * clock's now, keep the milestone states the overview and the confirm links read in line with it,
 * and work out the execution's loop count. Sending is the other half (./notify.ts).
 *
 * DynamoDB work per call, in the common case (nothing new to show, not done): one strongly
 * consistent Query for the whole instance partition, nothing written. The definition is read once
 * per container (DefinitionCache); milestone items are written only when new or when their due
 * date moved; the loop count is written by park, with the task token.
 */
import type { Execution, StepInput } from "../loop/contract.ts";
import type { Workflow } from "../model/schema.ts";
import { ConflictError } from "../store/errors.ts";
import type { AuditLog, InstanceStore, WorkflowStore } from "../store/ports.ts";
import { DONE_REASON, type InstanceRecord, type MilestoneRecord } from "../store/records.ts";
import type { Clock } from "../time/clock.ts";
import { closingOccurrence } from "../timeline/closing.ts";
import { decide, type OccurrenceStatus, occurrenceStatus } from "../timeline/decide.ts";
import { namingFields } from "../timeline/instance-name.ts";
import type { Decision, InstanceState, Occurrence } from "../timeline/types.ts";
import { type DefinitionCache, loadDefinition } from "./definitions.ts";
import { type Log, silentLog } from "./log.ts";

export interface DecideDeps {
  instances: InstanceStore;
  workflows: Pick<WorkflowStore, "get">;
  audit: AuditLog;
  clock: Clock;
  definitions?: DefinitionCache;
  log?: Log;
}

/** What the step goes on with: the decision, and what it was made on. */
export interface Decided {
  instance: InstanceRecord;
  /** Null when the instance no longer runs: nothing is decided, the loop just ends. */
  definition: Workflow | null;
  milestones: MilestoneRecord[];
  decision: Decision;
  execution: Execution;
}

/**
 * Runs the deciding half. An instance that is no longer running (done, failed, cancelled) answers
 * `done` without writing anything, so a restarted or late execution simply ends.
 */
export async function runDecide(deps: DecideDeps, input: StepInput): Promise<Decided> {
  const log = deps.log ?? silentLog;
  const now = deps.clock.now();
  const { instance, state, milestones } = await deps.instances.loadState(input.instanceId);
  const execution = nextExecution(instance, input.execution);
  if (instance.status !== "running") return stopped(instance, milestones, execution);

  const definition = await loadDefinition(deps, instance.workflowId, instance.workflowVersion);
  state.execution = { startedAt: execution.startedAt, loops: execution.loops };
  const decision = decide(definition, state, now);
  // Once per step: the milestone states written below and the closing mark both read it.
  const statuses = occurrenceStatus(definition, state, now);
  if (execution.loops === 1) {
    // A timeline of years is a chain of executions (continue-as-new): make each link visible,
    // once also when this step dies and runs again (the entry is dated by the execution's start).
    await deps.audit.appendOnce(
      instance.instanceId,
      executionStartedMarker(execution.id),
      execution.startedAt,
      {
        action: "loop.execution-started",
        by: "system",
        details: {
          executionId: execution.id,
          previousExecutionId: instance.execution.id ?? null,
          startedAt: execution.startedAt,
        },
      },
    );
    await auditIgnoredOnce(deps.audit, instance, state, decision);
  }

  const { written } = await deps.instances.syncOccurrences(
    instance.instanceId,
    occurrencesOf(definition, statuses, {
      key: closingOccurrence(definition, state, now, { decision, statuses }),
      rev: instance.rev,
    }),
    milestones,
    // Each milestone carries its instance's workflow, unit name and the instance's name and case
    // reference, so a confirm page reads the milestone alone (one item) instead of the instance too.
    {
      workflowId: instance.workflowId,
      workflowVersion: instance.workflowVersion,
      units: instance.units,
      ...namingFields(instance, definition),
    },
  );
  log.info("decided", {
    instanceId: instance.instanceId,
    rev: instance.rev,
    notifications: decision.notifications.length,
    occurrencesWritten: written,
    occurrencesUnchanged: milestones.length - Math.min(written, milestones.length),
    loops: execution.loops,
    done: decision.done,
    continueAsNew: decision.continueAsNew,
  });
  return { instance, definition, milestones, decision, execution };
}

/**
 * The loop count as park will write it: one more in the same execution, one in a new execution
 * (continue-as-new or a restart).
 */
function nextExecution(instance: InstanceRecord, current: StepInput["execution"]): Execution {
  const sameExecution = instance.execution.id === current.id;
  return {
    id: current.id,
    startedAt: current.startedAt,
    loops: (sameExecution ? instance.execution.loops : 0) + 1,
  };
}

function stopped(instance: InstanceRecord, milestones: MilestoneRecord[], execution: Execution): Decided {
  return {
    instance,
    definition: null,
    milestones,
    execution,
    decision: {
      notifications: [],
      nextWakeAt: null,
      done: true,
      continueAsNew: false,
      ignoredConfirmations: [],
    },
  };
}

/**
 * Milestone states as the store keeps them: what decide() scheduled, with each milestone's
 * dependencies, and the mark on the one whose confirmation finishes the instance (at this rev).
 */
function occurrencesOf(
  definition: Workflow,
  statuses: readonly OccurrenceStatus[],
  closing: { key: string | null; rev: number },
): Occurrence[] {
  const after = new Map(definition.milestones.map((m) => [m.id, m.after]));
  return statuses.map((o) => ({
    ...(o.key === closing.key ? { closesAtRev: closing.rev } : {}),
    key: o.key,
    milestoneId: o.milestoneId,
    unitId: o.unitId,
    index: o.index,
    dueAt: o.dueAt,
    after: after.get(o.milestoneId) ?? [],
    confirmable: o.confirmable,
    activatedAt: o.activatedAt,
  }));
}

/**
 * A confirmation whose occurrence the definition no longer has (the instance was migrated to a
 * version without it) is reported by every decide(); the trail should say so once. Checked in
 * the first step of each execution only: the condition check of a repeated entry costs a write.
 */
async function auditIgnoredOnce(
  audit: AuditLog,
  instance: InstanceRecord,
  state: InstanceState,
  decision: Decision,
): Promise<void> {
  const confirmedAt = new Map(state.confirmations.map((c) => [c.occurrenceKey, c.at]));
  for (const occurrenceKey of decision.ignoredConfirmations) {
    await audit.appendOnce(
      instance.instanceId,
      ignoredConfirmationMarker(occurrenceKey),
      confirmedAt.get(occurrenceKey) ?? instance.createdAt,
      {
        action: "confirmation.ignored",
        by: "system",
        details: {
          occurrenceKey,
          workflowId: instance.workflowId,
          workflowVersion: instance.workflowVersion,
          why: "the workflow version has no such occurrence",
        },
      },
    );
  }
}

/** The once-key of an execution's "started" entry. */
export function executionStartedMarker(executionId: string): string {
  return `execution:${executionId}`;
}

/** The once-key of a confirmation's "ignored" entry. */
export function ignoredConfirmationMarker(occurrenceKey: string): string {
  return `confirmation-ignored:${occurrenceKey}`;
}

/** Marks the instance done; cancelled meanwhile is fine (it has stopped either way, which is what done asks). */
export async function finish(instances: InstanceStore, instanceId: string): Promise<void> {
  try {
    await instances.finish(instanceId, "done", DONE_REASON);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
}

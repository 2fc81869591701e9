/**
 * The Decide step of the instance loop: read the instance, run decide() at the clock's now, record
 * what the overview needs, and tell the state machine what to do next.
 *
 * DynamoDB work per call, in the common case (nothing new to show, not done): one strongly
 * consistent Query for the whole instance partition and one UpdateItem recording the loop. The
 * definition is read once per container (DefinitionCache); milestone items are written only when
 * new or when their due date moved.
 */
import type { DecideInput, DecideOutput } from "../loop/contract.ts";
import { waitSeconds } from "../loop/wait.ts";
import type { Workflow } from "../model/schema.ts";
import { ConflictError } from "../store/errors.ts";
import type { InstanceStore, NotificationStore, WorkflowStore } from "../store/ports.ts";
import type { AuditInput, ExecutionInfo, InstanceRecord } from "../store/records.ts";
import type { Clock } from "../time/clock.ts";
import type { Temporal } from "../time/temporal.ts";
import { decide, occurrenceStatus } from "../timeline/decide.ts";
import type { Decision, InstanceState, Occurrence } from "../timeline/types.ts";
import { type DefinitionCache, loadDefinition } from "./definitions.ts";
import { type Log, silentLog } from "./log.ts";

export interface DecideDeps {
  instances: InstanceStore;
  workflows: WorkflowStore;
  notifications: NotificationStore;
  clock: Clock;
  definitions?: DefinitionCache;
  log?: Log;
}

/**
 * The execution as the instance item records it. `id` is ours, stored alongside the store's
 * fields: it tells "another loop of the same execution" (count it) from "a new execution"
 * (continue-as-new or a restart: count from one again).
 */
interface LoopExecution extends ExecutionInfo {
  id?: string;
}

/** Lease for the marker that makes an audit entry happen once; only matters if decide dies mid-way. */
const MARKER_LEASE_SECONDS = 60;

/**
 * Runs one Decide. An instance that is no longer running (done, failed, cancelled) answers
 * `done` without writing anything, so a restarted or late execution simply ends.
 */
export async function runDecide(deps: DecideDeps, input: DecideInput): Promise<DecideOutput> {
  const log = deps.log ?? silentLog;
  const now = deps.clock.now();
  const { instance, state, milestones } = await deps.instances.loadState(input.instanceId);
  if (instance.status !== "running") return stopped(instance);

  const definition = await loadDefinition(deps, instance.workflowId, instance.workflowVersion);
  const previous = instance.execution as LoopExecution;
  const execution = nextExecution(previous, input.execution);
  state.execution = { startedAt: execution.startedAt, loops: execution.loops };
  if (execution.loops === 1) {
    // A timeline of years is a chain of executions (continue-as-new): make each link visible,
    // once also when this decide dies before recordLoop and runs again.
    await auditOnce(deps.notifications, instance.instanceId, executionStartedMarker(input.execution.id), {
      action: "loop.execution-started",
      by: "system",
      details: {
        executionId: execution.id ?? null,
        previousExecutionId: previous.id ?? null,
        startedAt: execution.startedAt,
      },
    });
  }
  const decision = decide(definition, state, now);

  const { written } = await deps.instances.syncOccurrences(
    instance.instanceId,
    occurrencesOf(definition, state, now),
    milestones,
  );
  await auditIgnoredOnce(deps.notifications, instance, state, decision);
  if (decision.done) {
    await finish(deps.instances, instance.instanceId);
  } else {
    // Not needed once done: nothing reads the loop count of a finished instance.
    await deps.instances.recordLoop(instance.instanceId, execution);
  }
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

  return {
    instanceId: instance.instanceId,
    rev: instance.rev,
    done: decision.done,
    continueAsNew: decision.continueAsNew,
    notify: decision.notifications.length > 0,
    notifications: decision.notifications,
    nextWakeAt: decision.nextWakeAt,
    waitSeconds: waitSeconds(decision.nextWakeAt, now),
  };
}

function nextExecution(stored: LoopExecution, current: DecideInput["execution"]): LoopExecution {
  const sameExecution = stored.id === current.id;
  return {
    id: current.id,
    startedAt: current.startedAt,
    loops: (sameExecution ? stored.loops : 0) + 1,
  };
}

function stopped(instance: InstanceRecord): DecideOutput {
  return {
    instanceId: instance.instanceId,
    rev: instance.rev,
    done: true,
    continueAsNew: false,
    notify: false,
    notifications: [],
    nextWakeAt: null,
    waitSeconds: 1,
  };
}

/** Milestone states as the store keeps them: what decide() scheduled, with each milestone's dependencies. */
function occurrencesOf(definition: Workflow, state: InstanceState, now: Temporal.Instant): Occurrence[] {
  const after = new Map(definition.milestones.map((m) => [m.id, m.after]));
  return occurrenceStatus(definition, state, now).map((o) => ({
    key: o.key,
    milestoneId: o.milestoneId,
    unitId: o.unitId,
    index: o.index,
    dueAt: o.dueAt,
    after: after.get(o.milestoneId) ?? [],
    confirmable: o.confirmable,
  }));
}

/**
 * A confirmation whose occurrence the definition no longer has (the instance was migrated to a
 * version without it) is reported by every decide(); the trail should say so once.
 */
async function auditIgnoredOnce(
  notifications: NotificationStore,
  instance: InstanceRecord,
  state: InstanceState,
  decision: Decision,
): Promise<void> {
  const seen = new Set(state.sent);
  for (const occurrenceKey of decision.ignoredConfirmations) {
    const marker = ignoredConfirmationMarker(occurrenceKey);
    // Markers show up in the state's `sent` list, which this call already read: later decides skip them for free.
    if (seen.has(marker)) continue;
    await auditOnce(notifications, instance.instanceId, marker, {
      action: "confirmation.ignored",
      by: "system",
      details: {
        occurrenceKey,
        workflowId: instance.workflowId,
        workflowVersion: instance.workflowVersion,
        why: "the workflow version has no such occurrence",
      },
    });
  }
}

/**
 * Appends an audit entry at most once per marker. The store has no "once" primitive, so a
 * notification item under a reserved key serves: claimed by "decide" (a re-run of a decide that
 * died gets its own claim back), then marked sent in one transaction with the entry.
 */
async function auditOnce(
  notifications: NotificationStore,
  instanceId: string,
  marker: string,
  audit: AuditInput,
): Promise<void> {
  if (!(await notifications.claim(instanceId, marker, "decide", MARKER_LEASE_SECONDS)).claimed) return;
  await notifications.markSent(instanceId, marker, { audit });
}

/** Reserved notification key of an execution's "started" entry. */
export function executionStartedMarker(executionId: string): string {
  return `marker:execution-started:${executionId}`;
}

/** Reserved notification key; decide() never makes a key of this shape (its keys start with the instance id). */
export function ignoredConfirmationMarker(occurrenceKey: string): string {
  return `marker:confirmation-ignored:${occurrenceKey}`;
}

async function finish(instances: InstanceStore, instanceId: string): Promise<void> {
  try {
    await instances.finish(instanceId, "done", "every milestone is complete");
  } catch (err) {
    // Cancelled between our read and this write: it has stopped either way, which is what done asks.
    if (!(err instanceof ConflictError)) throw err;
  }
}

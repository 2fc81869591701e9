/**
 * The instance loop's one step Lambda: decide (./decide-step.ts), send what is due
 * (./notify.ts), and tell the Sleep state how long to wait. One Lambda instead of a Decide and a
 * Notify: one invocation and one state transition fewer per reminder, and no gap between reading
 * the state and sending in which a confirmation could slip (so no second read to catch one).
 *
 * The wait counts from the end of the batch, so a slow batch (SES backoff) does not push the
 * next wake-up back by its own duration. Done (every milestone complete) is recorded here; the
 * loop itself ends in park, which completes its task token (the Sleep state's success ends it).
 * Continuing as new is park's too; the step names the next execution and runs its first step, so
 * that execution starts asleep (contract.ts Continuation).
 */
import type { Continuation, Execution, StepInput, StepOutput } from "../loop/contract.ts";
import { waitSeconds } from "../loop/wait.ts";
import { type DecideDeps, executionStartedMarker, finish, runDecide } from "./decide-step.ts";
import { continuationName, siblingExecutionArn } from "./execution-names.ts";
import { firstStep } from "./first-step.ts";
import { type NotifyDeps, type NotifyReport, sendBatch } from "./notify.ts";

export type StepDeps = DecideDeps & NotifyDeps;

export async function runStep(deps: StepDeps, input: StepInput): Promise<StepOutput> {
  const { instance, definition, decision, execution } = await runDecide(deps, input);
  let report: NotifyReport = { sent: 0, skipped: 0, failed: 0 };
  if (definition !== null && decision.notifications.length > 0) {
    report = await sendBatch(deps, { instance, definition, notifications: decision.notifications });
  }
  if (definition !== null && decision.done) await finish(deps.instances, instance.instanceId);
  // After the batch, so the next execution's first step sees what was just sent.
  const continuation = decision.continueAsNew
    ? await continueWith(deps, instance.instanceId, execution)
    : null;
  return {
    instanceId: instance.instanceId,
    rev: instance.rev,
    done: decision.done,
    continueAsNew: decision.continueAsNew,
    waitSeconds: waitSeconds(decision.nextWakeAt, deps.clock.now()),
    execution,
    continuation,
    sent: report.sent,
    skipped: report.skipped,
  };
}

/**
 * The next execution's name and first sleep: its first step run here, as an instance's start runs
 * it (the execution's audit entry names its ARN, known from the name). DECIDE_AT_ONCE when that
 * step has mail to send or fails: the new execution then decides itself. A step run again (it died
 * after this) names the same execution and dates its start as the first run did, so the audit
 * entry is written once.
 */
async function continueWith(deps: StepDeps, instanceId: string, current: Execution): Promise<Continuation> {
  const name = continuationName(instanceId, current.id, current.loops);
  const id = siblingExecutionArn(current.id, name);
  const startedAt =
    (await deps.audit.onceDate(instanceId, executionStartedMarker(id))) ?? deps.clock.now().toString();
  return { name, step: await firstStep(deps, instanceId)({ id, startedAt }) };
}

/**
 * The instance loop's one step Lambda: decide (./decide-step.ts), send what is due
 * (./notify.ts), and tell the Sleep state how long to wait. One Lambda instead of a Decide and a
 * Notify: one invocation and one state transition fewer per reminder, and no gap between reading
 * the state and sending in which a confirmation could slip (so no second read to catch one).
 *
 * The wait counts from the end of the batch, so a slow batch (SES backoff) does not push the
 * next wake-up back by its own duration. Done (every milestone complete) is recorded here; the
 * loop itself ends in park, which completes its task token (the Sleep state's success ends it).
 */
import type { StepInput, StepOutput } from "../loop/contract.ts";
import { waitSeconds } from "../loop/wait.ts";
import { type DecideDeps, finish, runDecide } from "./decide-step.ts";
import { type NotifyDeps, type NotifyReport, sendBatch } from "./notify.ts";

export type StepDeps = DecideDeps & NotifyDeps;

export async function runStep(deps: StepDeps, input: StepInput): Promise<StepOutput> {
  const { instance, definition, decision, execution } = await runDecide(deps, input);
  let report: NotifyReport = { sent: 0, skipped: 0, failed: 0 };
  if (definition !== null && decision.notifications.length > 0) {
    report = await sendBatch(deps, { instance, definition, notifications: decision.notifications });
  }
  if (definition !== null && decision.done) await finish(deps.instances, instance.instanceId);
  return {
    instanceId: instance.instanceId,
    rev: instance.rev,
    done: decision.done,
    continueAsNew: decision.continueAsNew,
    waitSeconds: waitSeconds(decision.nextWakeAt, deps.clock.now()),
    execution,
    sent: report.sent,
    skipped: report.skipped,
  };
}

/**
 * The Sleep state's Lambda. Three ways out of a step:
 * - the loop ends here: done completes the task token (the Sleep state's success ends the
 *   execution); continue as new fails it with the error the Sleep state catches for that, so the
 *   loop needs no Choice state;
 * - otherwise store the execution's task token on the instance, with the loop count, in one
 *   write, so a signal (a confirmation, a deadline move, a cancel) can wake it, and let it sleep
 *   until its timeout (the next deadline the step computed);
 * - the instance changed since the step read it: wake at once.
 *
 * No lost wake-up: the token is stored only if the instance's rev is still the one the step read.
 * If a signal landed in between, it bumped rev and found no token to wake; the store then refuses
 * the token ("changed"), and this step wakes its own execution at once so the step sees the change.
 */
import { CONTINUE_AS_NEW_ERROR_NAME } from "../loop/asl.ts";
import type { ParkInput } from "../loop/contract.ts";
import type { TaskTokenStore } from "../store/ports.ts";
import { DONE_REASON } from "../store/records.ts";
import { type Log, silentLog } from "./log.ts";
import type { Signaller } from "./ports.ts";

export interface ParkDeps {
  tokens: TaskTokenStore;
  signaller: Signaller;
  log?: Log;
}

export type ParkResult =
  | { status: "parked" }
  | { status: "woken"; reason: string }
  | { status: "left"; how: "done" | "continue-as-new" };

export const CHANGED_WHILE_DECIDING = "changed while deciding";

export async function runPark(deps: ParkDeps, input: ParkInput): Promise<ParkResult> {
  const log = deps.log ?? silentLog;
  if (input.done) {
    await deps.signaller.finish(input.taskToken, DONE_REASON);
    log.info("leaving the loop", { instanceId: input.instanceId, how: "done" });
    return { status: "left", how: "done" };
  }
  if (input.continueAsNew) {
    await deps.signaller.fail(input.taskToken, CONTINUE_AS_NEW_ERROR_NAME, "continuing as a new execution");
    log.info("leaving the loop", { instanceId: input.instanceId, how: "continue-as-new" });
    return { status: "left", how: "continue-as-new" };
  }
  const outcome = await deps.tokens.park(input.instanceId, input.taskToken, input.rev, input.execution);
  if (outcome === "parked") {
    log.info("parked", { instanceId: input.instanceId, rev: input.rev, loops: input.execution.loops });
    return { status: "parked" };
  }
  // The refused token was never stored, so no signaller can have it: waking it here is the only
  // way this execution leaves Sleep before its timeout, and exactly one wake is sent.
  await deps.signaller.wake(input.taskToken, { reason: CHANGED_WHILE_DECIDING });
  log.info("instance changed while deciding; woken at once", {
    instanceId: input.instanceId,
    rev: input.rev,
  });
  return { status: "woken", reason: CHANGED_WHILE_DECIDING };
}

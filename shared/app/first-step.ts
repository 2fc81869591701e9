/**
 * An execution's first step, run by whoever starts it (an instance's start in the HTTP app):
 * decide as the loop's step would, write the milestone states and the execution's audit entry,
 * and hand the execution what its first Sleep needs. Every execution starts in Sleep
 * (shared/loop/asl.ts), so a new case that sends nothing at once costs no Step: one state
 * transition and one Lambda invocation fewer per case (issue 13).
 *
 * When there is mail to send at once (a start in the past with catch-up, a milestone active from
 * the start), or nothing left to do, the execution's own step does it: DECIDE_AT_ONCE. Sending
 * stays in the loop, where its retries and claims are. A failure here is not the start's failure
 * either: the execution then decides itself.
 */
import { DECIDE_AT_ONCE, type SleepState } from "../loop/contract.ts";
import { waitSeconds } from "../loop/wait.ts";
import { type DecideDeps, runDecide } from "./decide-step.ts";
import { silentLog } from "./log.ts";
import type { FirstStep } from "./ports.ts";

export function firstStep(deps: DecideDeps, instanceId: string): FirstStep {
  return async (execution): Promise<SleepState> => {
    try {
      const decided = await runDecide(deps, { instanceId, execution });
      const { decision } = decided;
      const sendsOrEnds = decision.notifications.length > 0 || decision.done || decision.continueAsNew;
      if (decided.definition === null || sendsOrEnds) return DECIDE_AT_ONCE;
      return {
        rev: decided.instance.rev,
        done: false,
        continueAsNew: false,
        waitSeconds: waitSeconds(decision.nextWakeAt, deps.clock.now()),
        loops: decided.execution.loops,
      };
    } catch (err) {
      (deps.log ?? silentLog).warn("first step before the start failed; the execution decides itself", {
        instanceId,
        error: err instanceof Error ? err.message : String(err),
      });
      return DECIDE_AT_ONCE;
    }
  };
}

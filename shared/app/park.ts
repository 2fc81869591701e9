/**
 * The Sleep step's Lambda: store the execution's task token on the instance so a signal (a
 * confirmation, a deadline move, a cancel) can wake it, and otherwise let it sleep until its
 * timeout (the next deadline Decide computed).
 *
 * No lost wake-up: the token is stored only if the instance's rev is still the one Decide read.
 * If a signal landed in between, it bumped rev and found no token to wake; the store then refuses
 * the token ("changed"), and this step wakes its own execution at once so Decide sees the change.
 */
import type { ParkInput } from "../loop/contract.ts";
import type { TaskTokenStore } from "../store/ports.ts";
import { type Log, silentLog } from "./log.ts";
import type { Signaller } from "./ports.ts";

export interface ParkDeps {
  tokens: TaskTokenStore;
  signaller: Signaller;
  log?: Log;
}

export type ParkResult = { status: "parked" } | { status: "woken"; reason: string };

export const CHANGED_WHILE_DECIDING = "changed while deciding";

export async function runPark(deps: ParkDeps, input: ParkInput): Promise<ParkResult> {
  const log = deps.log ?? silentLog;
  const outcome = await deps.tokens.park(input.instanceId, input.taskToken, input.rev);
  if (outcome === "parked") {
    log.info("parked", { instanceId: input.instanceId, rev: input.rev });
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

/**
 * Simulation, the observers: what the stack's engine and outbox report while the year runs. Mails
 * by kind and by instance, the Ishøj leaders' confirmations to plan, Lambda invocations, retries and
 * failures, in-process task durations, the Step Functions history it would log, and why each step
 * ran (start, timer, signal, after a failure) and whether it sent anything.
 */
import type { EngineEvent } from "../infra/local/engine/engine.ts";
import { confirmUrlIn } from "../infra/local/mailed-links.ts";
import { LOCAL_LOOP_ARNS } from "../infra/local/stack.ts";
import { claimsOfLinkUrl, type LinkClaims } from "../shared/links/index.ts";
import { CONTINUE_AS_NEW_ERROR_NAME, STATE, WAKE_ERROR_NAME } from "../shared/loop/asl.ts";
import type { Stores } from "../shared/store/ports.ts";
import { Temporal } from "../shared/time/temporal.ts";
import { type Action, type CasePlan, dayIndexOf } from "./simulation-scenario.ts";

function mailKind(subject: string): string {
  if (/^Frist overskredet|^Overdue/i.test(subject)) return "escalation";
  if (/^Påmindelse|^Reminder/i.test(subject)) return "reminder";
  return "other";
}

const LAMBDA_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(LOCAL_LOOP_ARNS).map(([name, arn]) => [arn, name]),
);

/** The engine's and the outbox's hooks, and what they counted; `context` is filled in once the stack runs. */
export function simulationObservers(byCaseworker: ReadonlyMap<string, CasePlan>) {
  const counts = {
    notifications: 0,
    ishojMails: 0,
    retries: 0,
    failedExecutions: 0,
    unattributedMails: 0,
    historyEvents: 0,
    historyPayloadBytes: 0,
    errorLevelEvents: 0,
  };
  const context = {
    silentLeader: "",
    lookup: null as Stores | null,
    clockNow: (() => Temporal.Now.instant()) as () => Temporal.Instant,
    linkKey: null as Buffer | null,
  };
  const mailsByKind: Record<string, number> = {};
  const ishojActions: Action[] = [];
  const ishojPlanned = new Set<string>();
  const invocations: Record<string, number> = {};
  // Links are stateless: what a link is for is in the link, checked with the stack's key.
  const linkOf = async (url: string): Promise<LinkClaims | null> =>
    context.linkKey === null ? null : claimsOfLinkUrl(url, context.linkKey, context.clockNow());

  // Task durations (step, recordFailure: scheduled to exited, in-process) and the size of what Step
  // Functions would log with level ALL and execution data (each event's payload plus envelope).
  const taskStarts = new Map<string, { name: string; at: number }>();
  const durations: Record<string, number[]> = {};
  // Why each Step ran, and whether it sent anything: what the Lambda invocations per mail are made of.
  type Wake = "start" | "timer" | "signal" | "after failure" | "other";
  const instanceOf = new Map<string, string>();
  const nextWake = new Map<string, Wake>();
  const openSteps = new Map<string, { wake: Wake; mailsBefore: number }>();
  const mailsOfInstance = new Map<string, number>();
  const stepsByWake: Record<string, { steps: number; withMail: number; mails: number }> = {};
  const loopEnds: Record<string, number> = {};
  const closeStep = (executionArn: string) => {
    const open = openSteps.get(executionArn);
    if (!open) return;
    openSteps.delete(executionArn);
    const sent = (mailsOfInstance.get(instanceOf.get(executionArn) ?? "") ?? 0) - open.mailsBefore;
    const entry = stepsByWake[open.wake] ?? { steps: 0, withMail: 0, mails: 0 };
    stepsByWake[open.wake] = entry;
    entry.steps++;
    entry.mails += sent;
    if (sent > 0) entry.withMail++;
  };
  const onEvent = (event: EngineEvent) => {
    if (event.type === "ExecutionStarted") {
      const id = (event.input as { instanceId?: unknown } | null)?.instanceId;
      if (typeof id === "string") instanceOf.set(event.executionArn, id);
      nextWake.set(event.executionArn, "start");
    } else if (event.type === "StateEntered" && event.state === STATE.step) {
      openSteps.set(event.executionArn, {
        wake: nextWake.get(event.executionArn) ?? "other",
        mailsBefore: mailsOfInstance.get(instanceOf.get(event.executionArn) ?? "") ?? 0,
      });
    } else if ((event.type === "StateExited" || event.type === "StateCaught") && event.state === STATE.step) {
      closeStep(event.executionArn);
    }
    // A completed Sleep is the instance done: the execution ends there.
    if (event.type === "StateExited" && event.state === STATE.sleep) loopEnds.done = (loopEnds.done ?? 0) + 1;
    if (event.type === "StateCaught") {
      // Logged at level ERROR: TaskTimedOut (the timer), TaskFailed (a signal's wake, continuing
      // as new, a failure).
      counts.errorLevelEvents++;
      if (event.state === STATE.sleep && event.error === "States.Timeout")
        nextWake.set(event.executionArn, "timer");
      else if (event.state === STATE.sleep && event.error === WAKE_ERROR_NAME)
        nextWake.set(event.executionArn, "signal");
      else if (event.state === STATE.sleep && event.error === CONTINUE_AS_NEW_ERROR_NAME)
        loopEnds.continueAsNew = (loopEnds.continueAsNew ?? 0) + 1;
      else nextWake.set(event.executionArn, "after failure");
    }
    if (event.type === "StateRetried" || event.type === "ExecutionFailed") counts.errorLevelEvents++;
    if (event.type === "ExecutionSucceeded" || event.type === "ExecutionFailed") {
      instanceOf.delete(event.executionArn);
      nextWake.delete(event.executionArn);
    }
    if (event.type === "TaskScheduled") {
      const name = LAMBDA_NAMES[event.resource] ?? event.resource;
      invocations[name] = (invocations[name] ?? 0) + 1;
      taskStarts.set(`${event.executionArn}|${event.state}`, { name, at: performance.now() });
      counts.historyEvents += 3; // TaskScheduled, TaskStarted, TaskSucceeded (or TaskTimedOut)
    } else if (event.type === "StateRetried") counts.retries++;
    else if (event.type === "ExecutionFailed") counts.failedExecutions++;
    if (event.type === "StateEntered" || event.type === "StateExited") {
      counts.historyEvents++;
      counts.historyPayloadBytes += JSON.stringify(
        event.type === "StateEntered" ? event.input : event.output,
      ).length;
    }
    if (event.type === "StateExited" || event.type === "StateCaught") {
      const key = `${event.executionArn}|${event.state}`;
      const started = taskStarts.get(key);
      if (started && started.name !== "park") {
        const list = durations[started.name] ?? [];
        list.push(performance.now() - started.at);
        durations[started.name] = list;
      }
      taskStarts.delete(key);
    }
  };

  const onMail = async ({ record, raw }: { record: { to: string[]; subject: string }; raw: string }) => {
    counts.notifications++;
    const kind = mailKind(record.subject);
    mailsByKind[kind] = (mailsByKind[kind] ?? 0) + 1;
    const linked = confirmUrlIn(raw);
    const claims = linked === null ? null : await linkOf(linked);
    if (claims) mailsOfInstance.set(claims.instanceId, (mailsOfInstance.get(claims.instanceId) ?? 0) + 1);
    else counts.unattributedMails++;
    const to = record.to[0] ?? "";
    const plan = byCaseworker.get(to);
    if (plan) {
      plan.url ??= confirmUrlIn(raw);
      return;
    }
    if (to.startsWith("teamleder.")) return;
    // The Ishøj timeline: its leaders confirm three days after their first mail of an occurrence.
    counts.ishojMails++;
    const url = confirmUrlIn(raw);
    if (!url || !context.lookup || to === context.silentLeader) return;
    const link = await linkOf(url);
    if (!link || ishojPlanned.has(link.occurrenceKey)) return;
    ishojPlanned.add(link.occurrenceKey);
    ishojActions.push({ day: dayIndexOf(context.clockNow()) + 3, url, key: link.occurrenceKey, ishoj: true });
  };
  return {
    onEvent,
    onMail,
    counts,
    context,
    ishojActions,
    mailsByKind,
    invocations,
    durations,
    stepsByWake,
    loopEnds,
  };
}

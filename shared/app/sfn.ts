/**
 * The instance loop's two ports on AWS, as Step Functions calls. Built with an SFNClient from the
 * entry point; the local engine implements the same ports itself.
 */
import { randomBytes } from "node:crypto";
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from "@aws-sdk/client-sfn";
import { WAKE_ERROR_NAME } from "../loop/asl.ts";
import { DECIDE_AT_ONCE, type LoopInput } from "../loop/contract.ts";
import type { Clock } from "../time/clock.ts";
import { systemClock } from "../time/clock.ts";
import { executionNameHead } from "./execution-names.ts";
import type { FirstStep, LoopStarter, Signaller } from "./ports.ts";

/**
 * SendTaskSuccess with the payload as the task's output (the Sleep state discards it: ResultPath
 * null), SendTaskFailure with the error the Sleep state catches.
 */
export class SfnSignaller implements Signaller {
  constructor(private readonly client: SFNClient) {}

  async wake(taskToken: string, payload: { reason: string }): Promise<void> {
    await this.fail(taskToken, WAKE_ERROR_NAME, payload.reason);
  }

  async finish(taskToken: string, reason: string): Promise<void> {
    await this.signal(() =>
      this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ reason }) })),
    );
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    await this.signal(() => this.client.send(new SendTaskFailureCommand({ taskToken, error, cause })));
  }

  private async signal(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (err) {
      // The execution left Sleep already (timed out, woken by someone else, stopped): the signal
      // has nothing left to do, and the step reads the store, so nothing is lost.
      if (err instanceof TaskDoesNotExist || err instanceof TaskTimedOut || err instanceof InvalidToken)
        return;
      throw err;
    }
  }
}

/** Step Functions' limit on execution names. */
const NAME_MAX = 80;

/**
 * StartExecution of the one state machine. Names must be unique per state machine for 90 days,
 * and an instance may be started more than once (a restart after a failure), so the name is the
 * instance id plus the time, a per-process counter and a random tail: readable in the console,
 * never reused. ExecutionAlreadyExists can then only mean this very start was already accepted.
 */
export class SfnLoopStarter implements LoopStarter {
  private counter = 0;

  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async start(instanceId: string, firstStep?: FirstStep): Promise<void> {
    const name = this.executionName(instanceId);
    const execution = { id: this.executionArn(name), startedAt: this.clock.now().toString() };
    const input: LoopInput = { instanceId, step: firstStep ? await firstStep(execution) : DECIDE_AT_ONCE };
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
    } catch (err) {
      if (err instanceof ExecutionAlreadyExists) return;
      throw err;
    }
  }

  /** The ARN Step Functions gives the execution of that name (the first step's audit entry names it). */
  executionArn(name: string): string {
    return `${this.stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
  }

  executionName(instanceId: string): string {
    const id = executionNameHead(instanceId);
    const time = this.clock.now().epochMilliseconds.toString(36);
    this.counter += 1;
    const name = `${id}-${time}-${this.counter.toString(36)}-${randomBytes(3).toString("hex")}`;
    return name.slice(0, NAME_MAX);
  }
}

/**
 * The side effects use cases need, as small interfaces. Each entry point (a Lambda, the local
 * stack, a test) wires concrete adapters once; use cases never import an SDK client themselves.
 */
import type { SleepState } from "../loop/contract.ts";
import type { Stores } from "../store/ports.ts";
import type { Clock } from "../time/clock.ts";

/**
 * Wakes a parked instance loop. On AWS this is Step Functions' SendTaskSuccess with the task
 * token the park step stored; locally the engine implements the same call.
 */
export interface Signaller {
  /**
   * Wakes the parked loop to step again now (on AWS: SendTaskFailure with Fristflow.Wake, which
   * the Sleep state catches). Resolves when the token was delivered or is no longer valid (the
   * execution moved on).
   */
  wake(taskToken: string, payload: { reason: string }): Promise<void>;
  /** Ends the loop: the instance is done (SendTaskSuccess: the Sleep state's success ends it). */
  finish(taskToken: string, reason: string): Promise<void>;
  /**
   * Fails the task with an error name the state machine catches (park continues as new this
   * way). Resolves, like wake, also when the token is no longer valid.
   */
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}

/**
 * Starts the instance loop for a new instance. On AWS: StartExecution of the one state machine;
 * locally: the embedded engine. The instance item is written first, so a failed start is retried
 * by calling start again, never by writing a second instance.
 */
export interface LoopStarter {
  /**
   * `firstStep` runs the execution's first step before it starts, told the execution's id and
   * start, and gives the first sleep (shared/app/first-step.ts); without it the execution decides
   * at once (DECIDE_AT_ONCE).
   */
  start(instanceId: string, firstStep?: FirstStep): Promise<void>;
}

/** The first step of an execution, run by its starter: what the execution's Sleep starts with. */
export type FirstStep = (execution: { id: string; startedAt: string }) => Promise<SleepState>;

/** Settings that belong to a deployment, read and validated once at start-up. */
export interface AppSettings {
  /** Absolute base URL of the HTTP app, used to build confirm links in mails. */
  publicBaseUrl: string;
  /** The From address of notification mails. */
  mailFrom: string;
  /** The organisation named in mails (e.g. "Ishøj Kommune"). */
  organisation: string;
  /** How long access-log entries are kept (default DEFAULT_ACCESS_LOG_DAYS, shared/app/access-log.ts). */
  accessLogRetentionDays?: number;
  /**
   * The municipality's contact address, the Reply-To of staff mails (env FRISTFLOW_REPLY_TO). Not
   * set: staff mails carry no Reply-To (shared/app/mail-people.ts).
   */
  replyTo?: string;
}

/** The ports by name (shared/store/ports.ts), so a use case asks for exactly the ones it needs. */
export interface AppDeps extends Stores {
  clock: Clock;
  signaller: Signaller;
  starter: LoopStarter;
  settings: AppSettings;
}

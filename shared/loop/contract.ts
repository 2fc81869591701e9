/**
 * The payloads between the instance loop's states and its Lambdas, as zod schemas. The state
 * machine (asl.ts), the handlers (functions/) and the local engine all agree through these.
 */
import { z } from "zod";

/**
 * What the Sleep state reads of the step before it (or of the execution's input: every execution
 * starts in Sleep, see shared/loop/asl.ts). Every field is read by path in asl.ts.
 */
export const SleepStateSchema = z.object({
  /** The instance's revision the step saw; park compares it to catch a signal that raced. */
  rev: z.number().int(),
  done: z.boolean(),
  continueAsNew: z.boolean(),
  /** Seconds until the next wake-up, at least 1: the Sleep's timeout. */
  waitSeconds: z.number().int().min(1),
  /** The steps this execution has run: park stores it with the token, continue-as-new counts it. */
  loops: z.number().int().min(0),
});
export type SleepState = z.infer<typeof SleepStateSchema>;

/**
 * The Sleep state of an execution whose first step is still to run: the rev matches no instance
 * (revs start at 0), so park refuses it and wakes its own execution at once, which then steps.
 */
export const DECIDE_AT_ONCE: SleepState = {
  rev: -1,
  done: false,
  continueAsNew: false,
  waitSeconds: 1,
  loops: 0,
};

/**
 * What starts (or continues) an execution of the loop for one instance. `step` is the first
 * sleep: the starter's own first step (shared/app/first-step.ts), or DECIDE_AT_ONCE.
 */
export const LoopInputSchema = z.object({ instanceId: z.string().min(1), step: SleepStateSchema });
export type LoopInput = z.infer<typeof LoopInputSchema>;

/** The execution a step runs in, and how many steps it has run: continue-as-new counts these. */
export const ExecutionSchema = z.object({
  id: z.string().min(1),
  startedAt: z.string().min(1),
  loops: z.number().int().min(0),
});
export type Execution = z.infer<typeof ExecutionSchema>;

export const StepInputSchema = z.object({
  instanceId: z.string().min(1),
  /** From the context object: the loop count is the step's to work out (see shared/app/step.ts). */
  execution: z.object({ id: z.string().min(1), startedAt: z.string().min(1) }),
});
export type StepInput = z.infer<typeof StepInputSchema>;

/**
 * What a step that decides "continue as new" hands the next execution: its name, fixed by this
 * execution and its loop count (shared/app/execution-names.ts), so a retried step or
 * StartExecution names the same child; and its first sleep, worked out by the step as an
 * instance's start does (shared/app/first-step.ts). The new execution then starts asleep instead of
 * deciding at once: two state transitions and two Lambda invocations fewer per continue-as-new.
 */
export const ContinuationSchema = z.object({ name: z.string().min(1).max(80), step: SleepStateSchema });
export type Continuation = z.infer<typeof ContinuationSchema>;

/** What the Sleep state passes on to park; every field is read by path in shared/loop/asl.ts. */
export const StepOutputSchema = z
  .object({
    instanceId: z.string(),
    /** The instance's revision the step saw; park compares it to catch a signal that raced. */
    rev: z.number().int(),
    done: z.boolean(),
    continueAsNew: z.boolean(),
    /** Seconds from the end of the step until the next wake-up, at least 1: the Sleep's timeout. */
    waitSeconds: z.number().int().min(1),
    execution: ExecutionSchema,
    /** Set exactly when continueAsNew is (the state machine selects it by path, so it is always there). */
    continuation: ContinuationSchema.nullable(),
    sent: z.number().int().min(0),
    skipped: z.number().int().min(0),
  })
  .refine((o) => o.continueAsNew === (o.continuation !== null), {
    message: "continuation is set exactly when continueAsNew is",
    path: ["continuation"],
  });
export type StepOutput = z.infer<typeof StepOutputSchema>;

/**
 * The Sleep state's Lambda: park the token (with the loop count, in the same write), or, when the
 * step said the loop ends here, complete the token (done) or fail it to continue as new.
 */
export const ParkInputSchema = z.object({
  instanceId: z.string().min(1),
  rev: z.number().int(),
  done: z.boolean(),
  continueAsNew: z.boolean(),
  execution: ExecutionSchema,
  taskToken: z.string().min(1),
});
export type ParkInput = z.infer<typeof ParkInputSchema>;

export const RecordFailureInputSchema = z.object({
  instanceId: z.string().min(1),
  /** Step Functions' Catch output: { Error, Cause }. */
  error: z.object({ Error: z.string(), Cause: z.string().optional() }),
});
export type RecordFailureInput = z.infer<typeof RecordFailureInputSchema>;

export const RecordFailureOutputSchema = z.object({
  /** True once the instance has failed too often in a row: the loop stops in a Fail state. */
  giveUp: z.boolean(),
  /** Seconds to wait before trying Decide again. */
  retryInSeconds: z.number().int().min(1),
});
export type RecordFailureOutput = z.infer<typeof RecordFailureOutputSchema>;

/** Step Functions caps a task timeout at one year; decide() continues as new long before. */
export const MAX_WAIT_SECONDS = 365 * 24 * 3600 - 1;

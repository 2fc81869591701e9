/**
 * The payloads between the instance loop's states and its Lambdas, as zod schemas. The state
 * machine (asl.ts), the handlers (functions/) and the local engine all agree through these.
 */
import { z } from "zod";

/** What starts (or continues) an execution of the loop for one instance. */
export const LoopInputSchema = z.object({ instanceId: z.string().min(1) });
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

/** What the Sleep state passes on to park; every field is read by path in shared/loop/asl.ts. */
export const StepOutputSchema = z.object({
  instanceId: z.string(),
  /** The instance's revision the step saw; park compares it to catch a signal that raced. */
  rev: z.number().int(),
  done: z.boolean(),
  continueAsNew: z.boolean(),
  /** Seconds from the end of the step until the next wake-up, at least 1: the Sleep's timeout. */
  waitSeconds: z.number().int().min(1),
  execution: ExecutionSchema,
  sent: z.number().int().min(0),
  skipped: z.number().int().min(0),
});
export type StepOutput = z.infer<typeof StepOutputSchema>;

/**
 * The Sleep state's Lambda: park the token (with the loop count, in the same write), or, when the
 * step said the loop ends here, fail the token with the error the Sleep state catches to leave.
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

/**
 * The payloads between the instance loop's states and its Lambdas, as zod schemas. The state
 * machine (asl.ts), the handlers (functions/) and the local engine all agree through these.
 */
import { z } from "zod";

const RecipientRefSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("unitLeader"), unitId: z.string() }),
  z.object({ kind: z.literal("unitManager"), unitId: z.string() }),
  z.object({ kind: z.literal("param"), name: z.string() }),
]);

export const ScheduledNotificationSchema = z.object({
  key: z.string().min(1),
  kind: z.enum(["activated", "reminder", "escalation", "notice"]),
  occurrenceKey: z.string().min(1),
  milestoneId: z.string().min(1),
  unitId: z.string().nullable(),
  index: z.number().int().min(0),
  dueAt: z.string(),
  at: z.string(),
  recipient: RecipientRefSchema,
  offset: z.string().optional(),
  level: z.number().int().optional(),
});

/** What starts (or continues) an execution of the loop for one instance. */
export const LoopInputSchema = z.object({ instanceId: z.string().min(1) });
export type LoopInput = z.infer<typeof LoopInputSchema>;

export const DecideInputSchema = z.object({
  instanceId: z.string().min(1),
  execution: z.object({ id: z.string().min(1), startedAt: z.string().min(1) }),
});
export type DecideInput = z.infer<typeof DecideInputSchema>;

export const DecideOutputSchema = z.object({
  instanceId: z.string(),
  /** The instance's revision decide() saw; park compares it to catch a signal that raced. */
  rev: z.number().int(),
  done: z.boolean(),
  continueAsNew: z.boolean(),
  /** True when `notifications` is non-empty (Choice states cannot test an array's length). */
  notify: z.boolean(),
  notifications: z.array(ScheduledNotificationSchema),
  nextWakeAt: z.string().nullable(),
  /** Seconds from now until nextWakeAt, at least 1: the Sleep task's TimeoutSecondsPath. */
  waitSeconds: z.number().int().min(1),
});
export type DecideOutput = z.infer<typeof DecideOutputSchema>;

export const NotifyInputSchema = z.object({
  instanceId: z.string().min(1),
  notifications: z.array(ScheduledNotificationSchema),
  /** Decide's nextWakeAt, to compute the Sleep after the batch from the time the batch ended. */
  nextWakeAt: z.string().nullable(),
  /** The instance's rev decide saw: a different one now means a confirmation (or more) since. */
  rev: z.number().int(),
});
export type NotifyInput = z.infer<typeof NotifyInputSchema>;

export const NotifyOutputSchema = z.object({
  sent: z.number().int(),
  skipped: z.number().int(),
  /** Seconds from the end of the batch until nextWakeAt, at least 1: the Sleep's timeout. */
  waitSeconds: z.number().int().min(1),
});
export type NotifyOutput = z.infer<typeof NotifyOutputSchema>;

export const ParkInputSchema = z.object({
  instanceId: z.string().min(1),
  rev: z.number().int(),
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

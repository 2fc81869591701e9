/**
 * Names and ARNs as Step Functions spells them: state machine and execution ARNs, AWS' rule
 * for execution names, the name the starter gives an instance's loop, the derived name of a
 * continue-as-new child, and the timestamp format of the context object.
 */
import { createHash } from "node:crypto";
import type { Temporal } from "../../../shared/time/temporal.ts";
import { EngineError } from "./errors.ts";
import type { ExecutionRecord } from "./store.ts";

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:([A-Za-z0-9_-]{1,80})$/;

export function stateMachineNameOf(arn: string): string {
  const match = STATE_MACHINE_ARN.exec(arn);
  if (!match?.[1])
    throw new EngineError(`'${arn}' is not a state machine ARN (arn:aws:states:…:stateMachine:name)`);
  return match[1];
}

/** `arn:aws:states:…:execution:<machine>:<name>`, as AWS derives it from the state machine's ARN. */
export function executionArnOf(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${executionName}`;
}

/** AWS' rule for execution names: 1 to 80 characters, none of whitespace and `<>{}[]?*"#%\^|~\`$&,;:/`. */
const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]/u;
const NAME_FORBIDDEN_ALL = new RegExp(NAME_FORBIDDEN.source, "gu");

export function isValidExecutionName(name: string): boolean {
  return !(name.length < 1 || name.length > 80 || NAME_FORBIDDEN.test(name));
}

/**
 * The execution name the starter uses for an instance: the id itself when it is a valid name, so
 * starting twice is one execution (AWS: same name and input while running is the same start).
 */
export function executionNameFor(instanceId: string): string {
  const cleaned = instanceId.replace(NAME_FORBIDDEN_ALL, "-");
  if (cleaned === instanceId && cleaned.length <= 80 && cleaned.length > 0) return cleaned;
  const hash = createHash("sha256").update(instanceId).digest("hex").slice(0, 16);
  return `${cleaned.slice(0, 63)}-${hash}`;
}

/** A child name fixed by the parent's position and attempt: the same on every re-run of that step. */
export function childName(parent: ExecutionRecord): string {
  const attempt = parent.position.retryCounts.reduce((a, b) => a + b, 0);
  const hex = createHash("sha256")
    .update(`${parent.executionArn}|${parent.transitions}|${attempt}`)
    .digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `$$.Execution.StartTime` and friends: ISO-8601 with milliseconds, as AWS prints them. */
export function isoMillis(instant: Temporal.Instant): string {
  return instant.toString({ fractionalSecondDigits: 3 });
}

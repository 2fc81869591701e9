/**
 * Names of the loop's executions, as Step Functions allows them (1 to 80 characters; letters,
 * digits, '-' and '_' keep CloudWatch metrics readable), and the ARN a name gets.
 */
import { createHash } from "node:crypto";

/** Room left for the instance id in a name, after the tail that makes it unique. */
const ID_PART_MAX = 48;

/** The instance id as the readable head of an execution name. */
export function executionNameHead(instanceId: string): string {
  return instanceId.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, ID_PART_MAX);
}

/**
 * The name of the execution an execution continues as, at a loop count. The same parent and count
 * give the same name, so a step run again after a crash, or a StartExecution retried, names the
 * same child (its audit entry is written once; AWS refuses a second start of it). The parent's ARN
 * is unique, so the name is unique for Step Functions' 90 days.
 */
export function continuationName(instanceId: string, parentExecutionArn: string, loops: number): string {
  const tail = createHash("sha256").update(`${parentExecutionArn}|${loops}`).digest("hex").slice(0, 20);
  return `${executionNameHead(instanceId)}-${tail}`;
}

/** The ARN of an execution of the same state machine, by name: the parent's ARN with the name replaced. */
export function siblingExecutionArn(executionArn: string, name: string): string {
  const at = executionArn.lastIndexOf(":");
  if (at < 0) throw new Error(`'${executionArn}' is not an execution ARN`);
  return `${executionArn.slice(0, at + 1)}${name}`;
}

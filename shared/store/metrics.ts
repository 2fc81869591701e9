/**
 * Counts what DynamoDB work the store does, for the benchmark figures ("reads and writes per
 * reminder sent and per confirmation"). It asks DynamoDB for the consumed capacity of every
 * request (ReturnConsumedCapacity TOTAL, which includes index writes) and adds it up per command.
 */
import { randomUUID } from "node:crypto";
import type { ConsumedCapacity, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { HandlerExecutionContext, InitializeHandler, InitializeHandlerArguments } from "@smithy/types";

export interface OpCount {
  requests: number;
  /** Of those, how many failed (their units are not known, so not in the sums below). */
  failed: number;
  /** Read request units (on-demand billing), summed over the table and its indexes. */
  readUnits: number;
  /** Write request units, including the copies written to indexes. */
  writeUnits: number;
}

export interface DynamoOpCounter {
  /** Per command (`GetItem`, `TransactWriteItems`…), since the start or the last reset. */
  byCommand(): Record<string, OpCount>;
  total(): OpCount;
  reset(): void;
  /** Stops counting (removes the middleware). */
  detach(): void;
}

/** Commands that accept ReturnConsumedCapacity; others (CreateTable…) are counted as requests only. */
const CAPACITY_COMMANDS = new Set([
  "GetItem",
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "Query",
  "Scan",
  "BatchGetItem",
  "BatchWriteItem",
  "TransactGetItems",
  "TransactWriteItems",
]);

/** lib-dynamodb names its commands differently (`PutCommand`); count them under the API name. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  Get: "GetItem",
  Put: "PutItem",
  Update: "UpdateItem",
  Delete: "DeleteItem",
  BatchGet: "BatchGetItem",
  BatchWrite: "BatchWriteItem",
  TransactGet: "TransactGetItems",
  TransactWrite: "TransactWriteItems",
};

export function countDynamoOps(client: DynamoDBClient | DynamoDBDocumentClient): DynamoOpCounter {
  let counts: Record<string, OpCount> = {};
  // Unique per counter, so two counters on one client neither replace nor remove each other.
  const name = `fristflowCountDynamoOps-${randomUUID()}`;

  const middleware =
    <Input extends object, Output extends object>(
      next: InitializeHandler<Input, Output>,
      context: HandlerExecutionContext,
    ): InitializeHandler<Input, Output> =>
    async (args: InitializeHandlerArguments<Input>) => {
      const command = dynamoApiName(context.commandName ?? "Unknown");
      const input = args.input as Record<string, unknown>;
      const asked = CAPACITY_COMMANDS.has(command) && input.ReturnConsumedCapacity === undefined;
      const entry = counts[command] ?? { requests: 0, failed: 0, readUnits: 0, writeUnits: 0 };
      counts[command] = entry;
      entry.requests += 1;
      let result: Awaited<ReturnType<InitializeHandler<Input, Output>>>;
      try {
        result = await next(
          asked ? { ...args, input: { ...input, ReturnConsumedCapacity: "TOTAL" } as Input } : args,
        );
      } catch (err) {
        // A false condition or a cancelled transaction is billed too, but the error carries no
        // capacity figure: count it so the totals show that such calls happened.
        entry.failed += 1;
        throw err;
      }
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
        .ConsumedCapacity;
      for (const c of Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed]) {
        entry.readUnits += c.ReadCapacityUnits ?? 0;
        entry.writeUnits += c.WriteCapacityUnits ?? 0;
        // Some responses only give the sum; attribute it by the command's kind.
        if (c.ReadCapacityUnits === undefined && c.WriteCapacityUnits === undefined && c.CapacityUnits) {
          if (isRead(command)) entry.readUnits += c.CapacityUnits;
          else entry.writeUnits += c.CapacityUnits;
        }
      }
      return result;
    };

  // The document client shares its client's middleware stack, so one registration counts both.
  client.middlewareStack.add(middleware, { step: "initialize", name });

  return {
    byCommand: () => structuredClone(counts),
    total: () =>
      Object.values(counts).reduce(
        (sum, c) => ({
          requests: sum.requests + c.requests,
          failed: sum.failed + c.failed,
          readUnits: sum.readUnits + c.readUnits,
          writeUnits: sum.writeUnits + c.writeUnits,
        }),
        { requests: 0, failed: 0, readUnits: 0, writeUnits: 0 },
      ),
    reset: () => {
      counts = {};
    },
    detach: () => {
      client.middlewareStack.remove(name);
    },
  };
}

/** `PutCommand` / `PutItemCommand` → `PutItem`: the DynamoDB API name a request is billed under. */
export function dynamoApiName(commandName: string): string {
  const bare = commandName.replace(/Command$/, "");
  return DOCUMENT_COMMANDS[bare] ?? bare;
}

function isRead(command: string): boolean {
  return (
    command === "GetItem" ||
    command === "Query" ||
    command === "Scan" ||
    command.endsWith("GetItems") ||
    command === "BatchGetItem"
  );
}

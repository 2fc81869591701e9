/** The parked execution's task token, on the instance item. */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { NotFoundError } from "../errors.ts";
import { keys } from "../keys.ts";
import type { TaskTokenStore } from "../ports.ts";
import type { ExecutionInfo } from "../records.ts";
import { isConditionFailed, retryOnContention } from "./sdk-errors.ts";
import type { DynamoTable } from "./table.ts";

export class DynamoTaskTokenStore implements TaskTokenStore {
  constructor(private readonly table: DynamoTable) {}

  async park(
    instanceId: string,
    token: string,
    seenRev: number,
    execution: ExecutionInfo,
  ): Promise<"parked" | "changed"> {
    const { table } = this;
    try {
      await retryOnContention("parkTaskToken", () =>
        table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.instance(instanceId),
            UpdateExpression:
              "SET taskToken = :token, parkedRev = :rev, parkedAt = :now, execution = :execution",
            ConditionExpression: "rev = :rev",
            ExpressionAttributeValues: {
              ":token": token,
              ":rev": seenRev,
              ":now": table.now(),
              ":execution": execution,
            },
          }),
        ),
      );
      return "parked";
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      if ((await table.getItem(keys.instance(instanceId))) === undefined) {
        throw new NotFoundError("instance", instanceId, { cause: err });
      }
      return "changed";
    }
  }

  /** Atomic: of two signallers at most one gets the token, so an execution is woken once per park. */
  take(instanceId: string): Promise<string | null> {
    return this.takeWhen(instanceId, "attribute_exists(taskToken)");
  }

  takeIfStale(instanceId: string): Promise<string | null> {
    return this.takeWhen(instanceId, "attribute_exists(taskToken) AND parkedRev < rev");
  }

  private async takeWhen(instanceId: string, condition: string): Promise<string | null> {
    const { table } = this;
    try {
      const result = await retryOnContention("takeTaskToken", () =>
        table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.instance(instanceId),
            UpdateExpression: "REMOVE taskToken, parkedRev, parkedAt",
            ConditionExpression: condition,
            ReturnValues: "ALL_OLD",
          }),
        ),
      );
      const token = result.Attributes?.taskToken;
      return typeof token === "string" ? token : null;
    } catch (err) {
      if (isConditionFailed(err)) return null;
      throw err;
    }
  }
}

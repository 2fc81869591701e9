/** The directory of units in the table, listed by type through the list index. */
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Unit } from "../../model/schema.ts";
import { checkUnitBatch, NotFoundError } from "../errors.ts";
import { keys, LIST } from "../keys.ts";
import type { UnitStore } from "../ports.ts";
import { LIST_INDEX } from "../table.ts";
import { isConditionFailed } from "./sdk-errors.ts";
import type { DynamoTable } from "./table.ts";

function unitItem(unit: Unit) {
  return {
    ...keys.unit(unit.id),
    entity: "unit",
    gsi2pk: LIST.units,
    gsi2sk: `${unit.type}#${unit.id}`,
    unit,
  };
}

export class DynamoUnitStore implements UnitStore {
  constructor(private readonly table: DynamoTable) {}

  async put(unit: Unit): Promise<void> {
    await this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: unitItem(unit) }));
  }

  async putAll(units: readonly Unit[]): Promise<void> {
    checkUnitBatch(units);
    if (units.length === 0) return;
    await this.table.transact(
      units.map((unit) => ({ Put: { TableName: this.table.name, Item: unitItem(unit) } })),
    );
  }

  async get(unitId: string): Promise<Unit | null> {
    const item = await this.table.getItem(keys.unit(unitId));
    return item === undefined ? null : (item.unit as Unit);
  }

  async list(type?: string): Promise<Unit[]> {
    const items = await this.table.queryAll({
      IndexName: LIST_INDEX,
      KeyConditionExpression:
        type === undefined ? "gsi2pk = :kind" : "gsi2pk = :kind AND begins_with(gsi2sk, :type)",
      ExpressionAttributeValues: {
        ":kind": LIST.units,
        ...(type === undefined ? {} : { ":type": `${type}#` }),
      },
    });
    return items.map((item) => item.unit as Unit);
  }

  async delete(unitId: string): Promise<void> {
    try {
      await this.table.doc.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: keys.unit(unitId),
          ConditionExpression: "attribute_exists(pk)",
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) throw new NotFoundError("unit", unitId, { cause: err });
      throw err;
    }
  }
}

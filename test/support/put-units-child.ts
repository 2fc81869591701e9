/**
 * A writer to kill: `node --import tsx test/support/put-units-child.ts <endpoint> <table> <prefix> <n>`
 * puts n units in one putAll against DynamoDB Local, printing "writing" just before. The import
 * crash test kills it at seeded moments.
 */
import { createDocumentClient } from "../../infra/local/dynamodb.ts";
import { dynamoStores } from "../../shared/store/dynamo/index.ts";
import { systemClock } from "../../shared/time/clock.ts";

const [endpoint, tableName, prefix, count] = process.argv.slice(2);
if (endpoint === undefined || tableName === undefined || prefix === undefined || count === undefined) {
  process.stderr.write("usage: put-units-child.ts <endpoint> <table> <prefix> <n>\n");
  process.exit(2);
}
const stores = dynamoStores(createDocumentClient(endpoint), tableName, systemClock);
const units = Array.from({ length: Number(count) }, (_, i) => ({
  id: `${prefix}-${i}`,
  name: `Dagtilbud ${i}`,
  type: "daycare",
  leader: { name: `Leder ${i}`, email: `leder${i}@example.dk` },
}));
process.stdout.write("writing\n");
await stores.units.putAll(units);
process.stdout.write("done\n");
process.exit(0);

export { createStoreDocumentClient } from "./client.ts";
export { dynamoStores } from "./dynamo/index.ts";
export { ConflictError, ContentionError, MAX_UNITS_PER_WRITE, NotFoundError, StoreError } from "./errors.ts";
export { memoryStores } from "./memory/index.ts";
export { countDynamoOps, type DynamoOpCounter, type OpCount } from "./metrics.ts";
export type * from "./ports.ts";
export type * from "./records.ts";
export { DUE_INDEX, ensureTable, LIST_INDEX, tableDefinition, ttlAttribute } from "./table.ts";

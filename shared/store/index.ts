export { createStoreDocumentClient } from "./client.ts";
export { ConflictError, ContentionError, NotFoundError, StoreError } from "./errors.ts";
export { countDynamoOps, type DynamoOpCounter, type OpCount } from "./metrics.ts";
export type * from "./records.ts";
export { Store } from "./store.ts";
export { DUE_INDEX, ensureTable, LIST_INDEX, tableDefinition, ttlAttribute } from "./table.ts";

import { createTestTable } from "../../support/dynamodb.ts";
import type { StoreSetup } from "./setup.ts";

/** A fresh table on the test run's DynamoDB Local per suite. */
export const dynamoSetup: StoreSetup = { create: (clock) => createTestTable({ clock }) };

/**
 * One in-memory DynamoDB Local for the whole test run: starting the JVM takes about a second,
 * so every test file shares the server and isolates itself with its own table instead.
 */
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../../infra/local/dynamodb.ts";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const local = await startDynamoDbLocal();
  project.provide("dynamoDbEndpoint", local.endpoint);
  return () => local.stop();
}

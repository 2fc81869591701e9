/** The store's contract on the DynamoDB adapters, against DynamoDB Local. */
import { dynamoSetup } from "./contract/dynamo-setup.ts";
import { storeContract } from "./contract/suite.ts";

storeContract("DynamoDB adapters", dynamoSetup);

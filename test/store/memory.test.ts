/** The store's contract on the in-memory adapters: no Java, no network. */
import { memorySetup } from "./contract/memory-setup.ts";
import { storeContract } from "./contract/suite.ts";

storeContract("in-memory adapters", memorySetup);

/** Pending SAML request ids in memory, ending as the DynamoDB adapter's do (by the injected clock). */
import { Temporal } from "../../time/temporal.ts";
import { ConflictError } from "../errors.ts";
import type { SamlRequestStore } from "../ports.ts";
import { type MemoryTable, turn } from "./table.ts";

export class MemorySamlRequestStore implements SamlRequestStore {
  constructor(private readonly table: MemoryTable) {}

  private live(requestId: string): boolean {
    const until = this.table.samlRequests.get(requestId);
    return (
      until !== undefined &&
      Temporal.Instant.compare(this.table.clock.now(), Temporal.Instant.from(until)) < 0
    );
  }

  async put(requestId: string, until: string): Promise<void> {
    await turn();
    if (this.table.samlRequests.has(requestId)) throw new ConflictError(`SAML request ${requestId} exists`);
    this.table.samlRequests.set(requestId, Temporal.Instant.from(until).toString());
  }

  async pending(requestId: string): Promise<boolean> {
    await turn();
    return this.live(requestId);
  }

  async take(requestId: string): Promise<boolean> {
    await turn();
    const live = this.live(requestId);
    this.table.samlRequests.delete(requestId);
    return live;
  }
}

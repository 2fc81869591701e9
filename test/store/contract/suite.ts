/** Every contract of the store's ports, for one adapter. */
import { describe } from "vitest";
import { recordContract } from "./audit-links-units.ts";
import { dueIndexContract } from "./due-index.ts";
import { instanceContract } from "./instances.ts";
import { milestoneContextContract } from "./milestone-context.ts";
import { notificationContract } from "./notifications.ts";
import type { StoreSetup } from "./setup.ts";
import { taskTokenContract } from "./task-tokens.ts";
import { userGrantsContract } from "./user-grants.ts";
import { userSessionContract } from "./users-sessions.ts";
import { workflowContract } from "./workflows.ts";

export function storeContract(adapter: string, setup: StoreSetup): void {
  describe(`${adapter}: workflows`, () => workflowContract(setup));
  describe(`${adapter}: instances and milestones`, () => instanceContract(setup));
  describe(`${adapter}: milestone context`, () => milestoneContextContract(setup));
  describe(`${adapter}: task tokens`, () => taskTokenContract(setup));
  describe(`${adapter}: due index`, () => dueIndexContract(setup));
  describe(`${adapter}: notifications`, () => notificationContract(setup));
  describe(`${adapter}: audit, links, units, outbox`, () => recordContract(setup));
  describe(`${adapter}: users and sessions`, () => userSessionContract(setup));
  describe(`${adapter}: user grants`, () => userGrantsContract(setup));
}

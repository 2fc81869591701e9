/** Every contract of the store's ports, for one adapter. */
import { describe } from "vitest";
import { accessLogContract } from "./access-log.ts";
import { apiTokenAttemptContract } from "./api-tokens-attempts.ts";
import { recordContract } from "./audit-links-units.ts";
import { deputyContract } from "./deputies.ts";
import { dueIndexContract } from "./due-index.ts";
import { instanceChangeContract } from "./instance-changes.ts";
import { instanceContract } from "./instances.ts";
import { milestoneContextContract } from "./milestone-context.ts";
import { notificationContract } from "./notifications.ts";
import { reopenNoticeContract } from "./reopen-notice.ts";
import { samlRequestContract } from "./saml-requests.ts";
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
  describe(`${adapter}: pending SAML requests`, () => samlRequestContract(setup));
  describe(`${adapter}: API tokens and attempts`, () => apiTokenAttemptContract(setup));
  describe(`${adapter}: access log`, () => accessLogContract(setup));
  describe(`${adapter}: deputies`, () => deputyContract(setup));
  describe(`${adapter}: user grants`, () => userGrantsContract(setup));
  describe(`${adapter}: instance changes`, () => instanceChangeContract(setup));
  describe(`${adapter}: reopen notices`, () => reopenNoticeContract(setup));
}

/**
 * Every sentence the dashboard shows, in Danish and English, in one place so it can be reviewed
 * without reading code. Values arrive here as plain text; the page templates escape them, so
 * nothing here builds markup.
 *
 * Validator messages from shared/model stay in English (they are shared with the CLI and the
 * API); the common ones a form shows are translated by `fieldMessage`.
 *
 * The sentences live by page or area in strings/ (layout, auth, refusals, common words,
 * overview, workflows, instances, audit, report, units, fields, outbox, users), each with its Danish
 * and English side by side; this module joins them into the one object a page reads.
 */
import type { Language } from "../model/schema.ts";
import { accessLogStrings } from "./strings/access-log.ts";
import { accessibilityStrings } from "./strings/accessibility.ts";
import { auditStrings } from "./strings/audit.ts";
import { authStrings } from "./strings/auth.ts";
import { commonStrings } from "./strings/common.ts";
import { deputyStrings } from "./strings/deputies.ts";
import { exportStrings } from "./strings/export.ts";
import { fieldStrings } from "./strings/fields.ts";
import { grantStrings } from "./strings/grants.ts";
import { instanceStrings } from "./strings/instances.ts";
import { layoutStrings } from "./strings/layout.ts";
import { outboxStrings } from "./strings/outbox.ts";
import { overviewStrings } from "./strings/overview.ts";
import { refusalStrings } from "./strings/refusals.ts";
import { reportStrings } from "./strings/report.ts";
import { tokenStrings } from "./strings/tokens.ts";
import { unitStrings } from "./strings/units.ts";
import { userStrings } from "./strings/users.ts";
import { workflowStrings } from "./strings/workflows.ts";

export type { Language };

const da = {
  ...layoutStrings.da,
  ...authStrings.da,
  ...refusalStrings.da,
  ...commonStrings.da,
  ...overviewStrings.da,
  ...workflowStrings.da,
  ...instanceStrings.da,
  ...auditStrings.da,
  ...reportStrings.da,
  ...unitStrings.da,
  ...fieldStrings.da,
  ...outboxStrings.da,
  ...userStrings.da,
  ...tokenStrings.da,
  ...accessLogStrings.da,
  ...deputyStrings.da,
  ...grantStrings.da,
  ...exportStrings.da,
  ...accessibilityStrings.da,
};

export type DashboardStrings = typeof da;

const en: DashboardStrings = {
  ...layoutStrings.en,
  ...authStrings.en,
  ...refusalStrings.en,
  ...commonStrings.en,
  ...overviewStrings.en,
  ...workflowStrings.en,
  ...instanceStrings.en,
  ...auditStrings.en,
  ...reportStrings.en,
  ...unitStrings.en,
  ...fieldStrings.en,
  ...outboxStrings.en,
  ...userStrings.en,
  ...tokenStrings.en,
  ...accessLogStrings.en,
  ...deputyStrings.en,
  ...grantStrings.en,
  ...exportStrings.en,
  ...accessibilityStrings.en,
};

const STRINGS: Record<Language, DashboardStrings> = { da, en };

export function dashboardStrings(language: Language): DashboardStrings {
  return STRINGS[language];
}

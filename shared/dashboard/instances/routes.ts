/**
 * Instance pages: list, start (choose a workflow, then the form), one instance, cancel (with a
 * confirmation step), the printable report and the calendar feed. Starting and cancelling go
 * through the same use cases as the admin API. This file has every /instances route; beside it
 * are the pages (pages.ts: the list, choosing a workflow, one instance, the cancel step), the
 * list's search (list-filter.ts), the
 * start form read and drawn (start-form.ts), the printed report (report.ts), the timeline SVG
 * (gantt.ts), the audit trail in words (audit.ts) and the .ics feed (feed.ts).
 */

import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import {
  cancelInstance,
  getInstance,
  type InstanceDetail,
  InvalidInputError,
  LoopStartError,
  parseInput,
  StartInstanceSchema,
  startInstance,
} from "../../app/admin.ts";
import { mayRun, requireGrant, requireSteer, runnableWorkflows } from "../../app/grants.ts";
import type { Principal } from "../../app/sessions.ts";
import { requireVisible, visibleAmong } from "../../app/visibility.ts";
import { feedViewer, recordView } from "../../http/access-record.ts";
import type { HttpDeps, HttpLogger } from "../../http/context.ts";
import { looksLikeCpr } from "../../model/cpr.ts";
import { IdSchema, type Workflow } from "../../model/schema.ts";
import { NotFoundError } from "../../store/errors.ts";
import { pickText } from "../../timeline/format.ts";
import { type InstanceIdentity, identifyingParams, instanceIdentity } from "../../timeline/instance-name.ts";
import { statusAt } from "../../timeline/status.ts";
import {
  checkDashboardSession,
  feedSignature,
  SESSION_COOKIE,
  verifyFeedSignature,
} from "../auth/session.ts";
import {
  actor,
  type DashContext,
  type DashEnv,
  languageOf,
  pageContext,
  sendPage,
} from "../common/context.ts";
import { localToday } from "../common/format.ts";
import { readForm } from "../common/forms.ts";
import { pageOf } from "../common/paging.ts";
import { auditLines } from "./audit.ts";
import { deadlineFeed } from "./feed.ts";
import {
  INSTANCE_FILTER_FIELDS,
  type InstanceFilter,
  type InstanceFilterField,
  matchesInstance,
  needsRecords,
  parseInstanceFilter,
} from "./list-filter.ts";
import { filterGroups, parseMilestoneTableFilter } from "./milestone-filter.ts";
import { instanceNames, instanceReader } from "./names.ts";
import {
  cancelPage,
  chooseWorkflowPage,
  type InstanceListFind,
  instanceListPage,
  instancePage,
  recurringMilestones,
} from "./pages.ts";
import { pastStartStep } from "./past-start.ts";
import { reportPage } from "./report.ts";
import { defaultValues, fieldErrors, readStartForm, startFormPage, toStartInput } from "./start-form.ts";
import { steerStrings } from "./steer/strings.ts";

/** An instance on hold has nothing overdue: its milestones are "sat i bero" (timeline/status.ts). */
async function leaveOutHeld(deps: HttpDeps, counts: Map<string, number>): Promise<void> {
  const records = await Promise.all([...counts.keys()].map((id) => deps.instances.get(id)));
  for (const record of records) if (record?.hold !== undefined) counts.delete(record.instanceId);
}

/** An accepted search's fields as the form shows them. */
function instanceFormValues(filter: InstanceFilter): Partial<Record<InstanceFilterField, string>> {
  const values: Partial<Record<InstanceFilterField, string>> = {};
  for (const field of INSTANCE_FILTER_FIELDS)
    if (filter[field] !== undefined) values[field] = String(filter[field]);
  return values;
}

/** What was typed, to show again beside the message (the page escapes it). */
function typedValues(
  query: URLSearchParams,
  errors: ReadonlyMap<InstanceFilterField, string>,
): Partial<Record<InstanceFilterField, string>> {
  const values: Partial<Record<InstanceFilterField, string>> = {};
  for (const field of INSTANCE_FILTER_FIELDS) {
    const value = query.get(field);
    // A CPR number is never shown again, not even to the person who typed it.
    if (value !== null && errors.get(field) !== "cpr") values[field] = value.slice(0, 200);
  }
  return values;
}

/** Instance ids are `<workflow id>-<hex>`; anything else is answered like an unknown instance. */
const INSTANCE_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;

export function instanceRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  routes.get("/instances", async (c) => {
    const now = deps.clock.now();
    const parsed = parseInstanceFilter(new URL(c.req.url).searchParams);
    // A refused search lists everything (page 1), with the form saying what to correct.
    const filter: InstanceFilter = parsed.ok ? parsed.filter : { page: 1 };
    const [ctx, instances, workflows, pastDue, units] = await Promise.all([
      pageContext(c, deps),
      deps.instances.list({
        ...(filter.workflow === undefined ? {} : { workflowId: filter.workflow }),
        ...(filter.status === undefined ? {} : { status: filter.status }),
      }),
      deps.workflows.list(),
      deps.dueIndex.entries(null, now.toString()),
      deps.units.list(),
    ]);
    // Past its deadline is not overdue while it waits for an earlier milestone (timeline/status.ts).
    const counts = new Map<string, number>();
    for (const m of pastDue) {
      if (statusAt(m, now) === "overdue") counts.set(m.instanceId, (counts.get(m.instanceId) ?? 0) + 1);
    }
    await leaveOutHeld(deps, counts);
    const sees = await visibleAmong(
      deps,
      c.get("principal"),
      instances.map((i) => i.instanceId),
    );
    let shown = instances.filter((i) => sees(i.instanceId));
    let names: Map<string, InstanceIdentity>;
    if (needsRecords(filter)) {
      // Units, name and case reference are on the records, which the list reads for names anyway.
      const read = await instanceReader(deps)(shown.map((i) => i.instanceId));
      const facts = (id: string) => {
        const entry = read.get(id);
        if (entry === undefined) return undefined;
        const { instance, definition } = entry;
        return {
          identity: instanceIdentity(instance, definition, ctx.language),
          refs: identifyingParams(instance, definition, ctx.language).map((p) => p.value),
          unitIds: instance.units.map((u) => u.id),
        };
      };
      names = new Map();
      shown = shown.filter((i) => {
        const f = facts(i.instanceId);
        if (f === undefined) return false;
        names.set(i.instanceId, f.identity);
        return matchesInstance(filter, {
          unitIds: f.unitIds,
          name: f.identity.name,
          caseRef: f.refs.length === 0 ? null : f.refs.join(", "),
        });
      });
    } else names = new Map();
    const page = pageOf(shown, filter.page);
    if (!needsRecords(filter)) {
      // Only the page's instances are read for their names.
      names = await instanceNames(
        deps,
        page.rows.map((i) => i.instanceId),
        ctx.language,
      );
    }
    const find: InstanceListFind = {
      values: parsed.ok
        ? instanceFormValues(parsed.filter)
        : typedValues(new URL(c.req.url).searchParams, parsed.errors),
      errors: parsed.ok ? new Map() : parsed.errors,
      units: [...units].sort((a, b) => a.name.localeCompare(b.name, "da")),
      filter: parsed.ok ? parsed.filter : null,
      page,
    };
    // The language switch links back here: without a CPR number that was typed.
    const here = new URL(ctx.here, "http://x");
    if (!parsed.ok) for (const [field, p] of parsed.errors) if (p === "cpr") here.searchParams.delete(field);
    const shownCtx = { ...ctx, here: `${here.pathname}${here.search}` };
    return sendPage(
      c,
      instanceListPage(shownCtx, shown, workflows, counts, names, find),
      parsed.ok ? 200 : 400,
    );
  });

  routes.get("/instances/_new", async (c) => {
    const ctx = await pageContext(c, deps);
    const chosen = IdSchema.safeParse(c.req.query("workflow"));
    if (!chosen.success) {
      return sendPage(
        c,
        chooseWorkflowPage(ctx, runnableWorkflows(c.get("principal"), await deps.workflows.list())),
      );
    }
    requireGrant(c.get("principal"), chosen.data);
    const { definition, versions } = await workflowVersions(deps, chosen.data);
    const latest = Math.max(...versions);
    return sendPage(
      c,
      startFormPage(ctx, {
        definition,
        versions,
        directory: await deps.units.list(),
        values: defaultValues(definition, latest, localToday(deps.clock.now(), definition.timezone)),
        errors: new Map(),
      }),
    );
  });

  routes.post("/instances/_new", async (c) => {
    const form = await readForm(c);
    const ctx = await pageContext(c, deps);
    const { s, language } = ctx;
    const workflowId = IdSchema.safeParse(form.text("workflowId"));
    if (!workflowId.success) throw new NotFoundError("workflow", "-");
    requireGrant(c.get("principal"), workflowId.data);
    // The form is drawn from the chosen version's parameters; the latest is the fallback.
    const requested = Number(form.text("version"));
    const { definition, versions } = await workflowVersions(
      deps,
      workflowId.data,
      Number.isInteger(requested) ? requested : undefined,
    );
    const { values, errors } = readStartForm(form, definition, s);
    const directory = await deps.units.list();
    const again = () =>
      sendPage(c, startFormPage(ctx, { definition, versions, directory, values, errors }), 400);
    if (errors.size > 0) return again();
    try {
      const input = parseInput(StartInstanceSchema, toStartInput(values, definition));
      // A start date before today shows what it would send at once and asks how to treat the past.
      const step = await pastStartStep(deps, ctx, {
        form,
        input,
        definition,
        startDate: values.startDate,
        directory,
        by: actor(c),
      });
      if (step.kind === "edit") {
        return sendPage(c, startFormPage(ctx, { definition, versions, directory, values, errors }));
      }
      if (step.kind === "page") return sendPage(c, step.html, step.status);
      const started = await startInstance(deps, step.input, { by: actor(c) });
      logger.info("instance started", { requestId: c.get("requestId"), instanceId: started.id });
      return c.redirect(`/instances/${started.id}?started=1`, 303);
    } catch (err) {
      if (err instanceof LoopStartError) {
        logger.error("instance created, loop not started", {
          requestId: c.get("requestId"),
          instanceId: err.instanceId,
        });
        return c.redirect(`/instances/${err.instanceId}?started=0`, 303);
      }
      if (!(err instanceof InvalidInputError)) throw err;
      for (const [field, message] of fieldErrors(err.errors, definition, s, language))
        errors.set(field, message);
      return again();
    }
  });

  routes.get("/instances/:id", async (c) => {
    const ctx = await pageContext(c, deps);
    const { detail, definition, unitNames } = await loadInstance(c, deps);
    await recordView(c, deps, "instance-page", detail.instance);
    const id = detail.instance.instanceId;
    const entries = await deps.audit.list(id);
    const started = c.req.query("started");
    const cancelled = c.req.query("cancelled");
    const changed = c.req.query("changed");
    const notice =
      started === "1"
        ? { text: ctx.s.startedNotice }
        : started === "0"
          ? { text: ctx.s.notStartedNotice, warn: true }
          : cancelled === "1"
            ? { text: ctx.s.cancelledNotice }
            : cancelled === "already"
              ? { text: ctx.s.alreadyCancelled }
              : changed !== undefined
                ? { text: steerStrings(ctx.language).saved }
                : undefined;
    const titles = new Map(definition.milestones.map((m) => [m.id, pickText(m.title, ctx.language)]));
    const query = new URL(c.req.url).searchParams;
    const chosen = parseMilestoneTableFilter(query);
    const table = {
      values: { status: query.get("status") ?? "", unit: query.get("unit") ?? "" },
      errors: chosen.ok ? new Map() : chosen.errors,
      groups: chosen.ok ? filterGroups(detail.units, chosen.filter) : detail.units,
    };
    return sendPage(
      c,
      instancePage(ctx, {
        table,
        detail,
        definition,
        unitNames,
        audit: auditLines(
          entries,
          { titles, units: unitNames, recurring: recurringMilestones(definition) },
          ctx.s,
        ),
        feedUrl: `${baseUrl(c, deps)}/instances/${id}/deadlines.ics?key=${feedSignature(c.get("adminToken"), id)}`,
        steer: mayRun(c.get("principal"), detail.instance.workflowId),
        latestVersion:
          (await deps.workflows.get(detail.instance.workflowId))?.version ?? detail.instance.workflowVersion,
        now: deps.clock.now().toString(),
        notice,
      }),
      chosen.ok ? 200 : 400,
    );
  });

  routes.get("/instances/:id/cancel", async (c) => {
    const ctx = await pageContext(c, deps);
    const { detail } = await loadInstance(c, deps);
    requireGrant(c.get("principal"), detail.instance.workflowId);
    if (detail.instance.status !== "running") {
      return c.redirect(`/instances/${detail.instance.instanceId}?cancelled=already`, 303);
    }
    return sendPage(c, cancelPage(ctx, detail));
  });

  routes.post("/instances/:id/cancel", async (c) => {
    const form = await readForm(c);
    const id = instanceId(c);
    await requireSteer(deps, c.get("principal"), id);
    const typed = form.text("reason").trim();
    // The whole text is checked before it is cut to 500 characters: a cut could leave the
    // birth date of a number whose last digits fell off.
    if (looksLikeCpr(typed)) {
      const ctx = await pageContext(c, deps);
      const { detail } = await loadInstance(c, deps);
      return sendPage(c, cancelPage(ctx, detail, ctx.s.cprRefused), 400);
    }
    const reason = typed.slice(0, 500);
    const { wake, ...result } = await cancelInstance(deps, id, {
      by: actor(c),
      ...(reason === "" ? {} : { reason }),
    });
    if (wake.status === "failed") {
      logger.warn("instance cancelled, loop not woken", { requestId: c.get("requestId"), instanceId: id });
    }
    return c.redirect(`/instances/${id}?cancelled=${result.status === "already" ? "already" : "1"}`, 303);
  });

  routes.get("/instances/:id/report", async (c) => {
    const ctx = await pageContext(c, deps);
    const { detail, definition, unitNames } = await loadInstance(c, deps);
    await recordView(c, deps, "instance-report", detail.instance);
    return sendPage(c, reportPage(ctx, detail, definition, unitNames, deps.clock.now().toString()));
  });

  // Public in the access table: a calendar app has no cookie, so the signed URL is its key.
  routes.get("/instances/:id/deadlines.ics", async (c) => {
    const id = instanceId(c);
    const adminToken = await deps.adminToken();
    const key = c.req.query("key");
    // Without the signed key, the feed is a page like the others: the session's person must see it.
    const session =
      key === undefined ? await checkDashboardSession(deps, getCookie(c, SESSION_COOKIE)) : null;
    const allowed = key !== undefined ? verifyFeedSignature(key, adminToken, id) : session !== null;
    if (!allowed) {
      if (key === undefined) {
        return c.redirect(`/login?${new URLSearchParams({ next: `/instances/${id}` }).toString()}`, 303);
      }
      return c.text("This calendar address is not valid (any more).", 403);
    }
    const { detail } = await loadInstance(c, deps, session === null ? null : session.principal);
    await recordView(c, deps, "instance-feed", detail.instance, { who: feedViewer(session) });
    const body = deadlineFeed(detail, {
      organisation: deps.settings.organisation,
      instanceUrl: `${baseUrl(c, deps)}/instances/${id}`,
      now: deps.clock.now().toString(),
    });
    c.header("Content-Type", "text/calendar; charset=utf-8");
    c.header("Content-Disposition", `inline; filename="${id}.ics"`);
    return c.body(body);
  });

  return routes;
}

export function instanceId(c: DashContext): string {
  const id = c.req.param("id") ?? "";
  if (!INSTANCE_ID.test(id)) throw new NotFoundError("instance", "-");
  return id;
}

/** The absolute address of this server, for links that leave the page (calendar apps). */
function baseUrl(c: DashContext, deps: HttpDeps): string {
  const configured = deps.settings.publicBaseUrl.replace(/\/+$/, "");
  return configured === "" ? new URL(c.req.url).origin : configured;
}

async function workflowVersions(
  deps: HttpDeps,
  workflowId: string,
  version?: number,
): Promise<{ definition: Workflow; versions: number[] }> {
  const [record, versions] = await Promise.all([
    deps.workflows.get(workflowId, version),
    deps.workflows.listVersions(workflowId),
  ]);
  const chosen = record ?? (version === undefined ? null : await deps.workflows.get(workflowId));
  if (chosen === null) throw new NotFoundError("workflow", workflowId);
  return { definition: chosen.definition, versions: versions.map((v) => v.version) };
}

/**
 * The instance with its definition and unit names, or NotFoundError, also when the person may not
 * see it (`viewer`: the request's principal; null for the calendar feed's signed key, which is
 * the capability itself).
 */
export async function loadInstance(
  c: DashContext,
  deps: HttpDeps,
  viewer: Principal | null = c.get("principal"),
): Promise<{ detail: InstanceDetail; definition: Workflow; unitNames: Map<string, string> }> {
  const detail = await getInstance(deps, instanceId(c), languageOf(c));
  if (viewer !== null) await requireVisible(deps, viewer, detail.instance);
  const [record, directory] = await Promise.all([
    deps.workflows.get(detail.instance.workflowId, detail.instance.workflowVersion),
    deps.units.list(),
  ]);
  if (record === null) throw new NotFoundError("workflow version", detail.instance.workflowId);
  // The instance's own copy wins: it names units as they were when it started.
  const unitNames = new Map([
    ...directory.map((u) => [u.id, u.name] as [string, string]),
    ...detail.instance.units.map((u) => [u.id, u.name] as [string, string]),
  ]);
  return { detail, definition: record.definition, unitNames };
}

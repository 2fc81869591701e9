/**
 * The admin JSON API under /api, behind a bearer token: the admin token or a personal API token
 * (the access guard in app.ts asks `apiArea` in api-area.ts who is calling and checks the access
 * table). Handlers are adapters: read and check
 * the input (zod, CPR first), call one use case, answer; failures go to errors.ts by throwing.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import {
  BODY_FILE,
  cancelInstance,
  DeleteVersionSchema,
  deleteUnit,
  deleteWorkflowVersion,
  getInstance,
  getUnit,
  getWorkflow,
  InstanceFilterSchema,
  InvalidInputError,
  listInstances,
  listUnits,
  listWorkflows,
  MAX_INPUT_DEPTH,
  nestedDeeperThan,
  parseInput,
  putUnit,
  StartInstanceSchema,
  saveWorkflow,
  startInstance,
  TOO_DEEP,
} from "../app/admin.ts";
import { requireGrant, requireSteer } from "../app/grants.ts";
import { actorOf } from "../app/sessions.ts";
import { previewStartInstance } from "../app/start-past.ts";
import { previewAction, STEER_ACTIONS, saveAction, steerAction } from "../app/steer/actions.ts";
import { migrateAll } from "../app/steer/migrate-all.ts";
import { requireVisible, visibleAmong } from "../app/visibility.ts";
import { IdSchema, UnitSchema } from "../model/schema.ts";
import { listDetail, recordView } from "./access-record.ts";
import { type HttpDeps, type HttpEnv, type HttpLogger, languageOf } from "./context.ts";
import { HttpError } from "./errors.ts";

/** Who the audit trail names for API actions with the admin token: it identifies a role, not a person. */
const ADMIN_ACTOR = "admin-api";

function apiActor(c: Context<HttpEnv>): string {
  return actorOf(c.get("principal"), ADMIN_ACTOR);
}

/** YAML is a superset of JSON, so one loader reads both with line and column in its errors. */
const WORKFLOW_MEDIA_TYPES = new Set([
  "application/json",
  "application/yaml",
  "application/x-yaml",
  "text/yaml",
  "text/x-yaml",
  "text/plain",
]);

/** Instance ids are `<workflow id>-<hex>`; a bound keeps odd input away from DynamoDB keys. */
const InstanceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/);

const QUERY_FILE = "<query>";

/** A version number in a path: 1, 2, 3… */
const VersionSchema = z.string().regex(/^[1-9]\d{0,8}$/);

const WorkflowQuerySchema = z.strictObject({
  version: z
    .string()
    .regex(/^[1-9]\d{0,8}$/, "must be a version number (1, 2, 3…)")
    .transform(Number)
    .optional(),
});
const UnitQuerySchema = z.strictObject({ type: IdSchema.optional() });
const CancelSchema = z.strictObject({ reason: z.string().max(500).optional() });

export function adminRoutes(deps: HttpDeps, logger: HttpLogger): Hono<HttpEnv> {
  const api = new Hono<HttpEnv>();

  // ---------------------------------------------------------------- workflows

  api.post("/workflows", async (c) => {
    if (!WORKFLOW_MEDIA_TYPES.has(mediaType(c))) {
      throw new HttpError(
        415,
        "unsupported_media_type",
        "send the definition as application/yaml or application/json",
      );
    }
    const saved = await saveWorkflow(deps, { source: await c.req.text(), by: apiActor(c) });
    c.header("Location", `/api/workflows/${saved.id}?version=${saved.version}`);
    return c.json(saved, 201);
  });

  api.get("/workflows", async (c) => c.json({ workflows: await listWorkflows(deps) }));

  api.delete("/workflows/:id/versions/:version", async (c) => {
    const id = pathId(IdSchema, c.req.param("id"), "workflow");
    const version = Number(pathId(VersionSchema, c.req.param("version"), "workflow version"));
    const body = parseInput(DeleteVersionSchema, (await readJson(c, { optional: true })) ?? {});
    const deleted = await deleteWorkflowVersion(deps, id, version, {
      by: apiActor(c),
      ...(body.reason === undefined ? {} : { reason: body.reason }),
    });
    logger.info("workflow version deleted", { requestId: c.get("requestId"), workflowId: id, version });
    return c.json(deleted);
  });

  api.get("/workflows/:id", async (c) => {
    const id = pathId(IdSchema, c.req.param("id"), "workflow");
    const query = parseInput(WorkflowQuerySchema, c.req.query(), QUERY_FILE);
    return c.json(await getWorkflow(deps, id, query.version));
  });

  // ---------------------------------------------------------------- instances

  api.post("/instances", async (c) => {
    const input = parseInput(StartInstanceSchema, await readJson(c));
    requireGrant(c.get("principal"), input.workflowId);
    const started = await startInstance(deps, input, { by: apiActor(c) });
    logger.info("instance started", { requestId: c.get("requestId"), instanceId: started.id });
    c.header("Location", `/api/instances/${started.id}`);
    return c.json(started, 201);
  });

  // What a start would send at once (a start before today: under each choice). Writes nothing.
  api.post("/instances/_preview", async (c) => {
    const input = parseInput(StartInstanceSchema, await readJson(c));
    requireGrant(c.get("principal"), input.workflowId);
    const { preview } = await previewStartInstance(deps, input, { by: apiActor(c) });
    return c.json({ preview });
  });

  api.get("/instances", async (c) => {
    const filter = parseInput(InstanceFilterSchema, c.req.query(), QUERY_FILE);
    const instances = await listInstances(deps, filter);
    const sees = await visibleAmong(
      deps,
      c.get("principal"),
      instances.map((i) => i.instanceId),
    );
    const visible = instances.filter((i) => sees(i.instanceId));
    await recordView(c, deps, "api-instance-list", null, { detail: listDetail(filter, visible.length) });
    return c.json({ instances: visible });
  });

  api.get("/instances/:id", async (c) => {
    const id = pathId(InstanceIdSchema, c.req.param("id"), "instance");
    const detail = await getInstance(deps, id, languageOf(c));
    await requireVisible(deps, c.get("principal"), detail.instance);
    await recordView(c, deps, "api-instance", detail.instance);
    return c.json(detail);
  });

  api.post("/instances/:id/cancel", async (c) => {
    const id = pathId(InstanceIdSchema, c.req.param("id"), "instance");
    const body = parseInput(CancelSchema, (await readJson(c, { optional: true })) ?? {});
    await requireSteer(deps, c.get("principal"), id);
    const { wake, ...result } = await cancelInstance(deps, id, {
      by: apiActor(c),
      ...(body.reason === undefined ? {} : { reason: body.reason }),
    });
    if (wake.status === "failed") {
      logger.warn("instance cancelled, loop not woken", { requestId: c.get("requestId"), instanceId: id });
    }
    return c.json({ id, ...result, woken: wake.status === "woken" });
  });

  // Every change to a running instance: the preview says what it would do, the save does it.
  api.post("/instances/:id/changes/:action/preview", async (c) => {
    const { id, action } = await steerTarget(c, deps);
    const preview = await previewAction(deps, id, action, await readJson(c), { by: apiActor(c) });
    return c.json({ id, action: action.name, preview });
  });

  api.post("/instances/:id/changes/:action", async (c) => {
    const { id, action } = await steerTarget(c, deps);
    const { preview, entry, wake } = await saveAction(deps, id, action, await readJson(c), {
      by: apiActor(c),
    });
    if (wake.status === "failed") {
      logger.warn("instance changed, loop not woken", { requestId: c.get("requestId"), instanceId: id });
    }
    return c.json({ id, action: action.name, auditId: entry.id, preview, woken: wake.status === "woken" });
  });

  // Every running instance of one version to a newer one: preview first, then save.
  for (const [suffix, save] of [
    ["/preview", false],
    ["", true],
  ] as const) {
    api.post(`/workflows/:id/migrate${suffix}`, async (c) => {
      const workflowId = pathId(IdSchema, c.req.param("id"), "workflow");
      requireGrant(c.get("principal"), workflowId);
      const result = await migrateAll(deps, workflowId, await readJson(c), { by: apiActor(c), save });
      return c.json(result);
    });
  }

  // ---------------------------------------------------------------- directory

  api.get("/units", async (c) => {
    const query = parseInput(UnitQuerySchema, c.req.query(), QUERY_FILE);
    return c.json({ units: await listUnits(deps, query.type) });
  });

  api.get("/units/:id", async (c) =>
    c.json(await getUnit(deps, pathId(IdSchema, c.req.param("id"), "unit"))),
  );

  api.put("/units/:id", async (c) => {
    const id = pathId(IdSchema, c.req.param("id"), "unit");
    const unit = parseInput(UnitSchema, await readJson(c));
    return c.json(await putUnit(deps, id, unit));
  });

  api.delete("/units/:id", async (c) => {
    await deleteUnit(deps, pathId(IdSchema, c.req.param("id"), "unit"));
    return c.body(null, 204);
  });

  return api;
}

/** The instance (visible and granted to the caller) and the change asked for; 404 for an unknown change. */
async function steerTarget(c: Context<HttpEnv>, deps: HttpDeps) {
  const id = pathId(InstanceIdSchema, c.req.param("id") ?? "", "instance");
  const action = steerAction(c.req.param("action") ?? "");
  if (action === undefined) {
    throw new HttpError(
      404,
      "not_found",
      `no such change; the changes are ${STEER_ACTIONS.map((a) => a.name).join(", ")}`,
    );
  }
  await requireSteer(deps, c.get("principal"), id);
  return { id, action };
}

function mediaType(c: Context): string {
  return (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** The body as JSON; `optional` lets an empty body through as undefined (e.g. cancel without a reason). */
async function readJson(c: Context, options: { optional?: boolean } = {}): Promise<unknown> {
  const text = await c.req.text();
  if (options.optional && text.trim() === "") return undefined;
  if (mediaType(c) !== "application/json") {
    throw new HttpError(415, "unsupported_media_type", "send the body as application/json");
  }
  // Refused before JSON.parse builds 200,000 nested arrays only for the depth check to drop them.
  if (nestedDeeperThan(text, MAX_INPUT_DEPTH)) {
    throw new InvalidInputError([
      {
        file: BODY_FILE,
        line: 0,
        column: 0,
        path: "",
        message: TOO_DEEP,
      },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input; it could hold anything, so it is not passed on.
    throw new InvalidInputError([
      { file: BODY_FILE, line: 0, column: 0, path: "", message: "the body is not valid JSON" },
    ]);
  }
}

/** A path id that cannot exist is answered like one that does not. */
function pathId(schema: z.ZodType<string>, value: string, what: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(404, "not_found", `no such ${what}`);
  return parsed.data;
}

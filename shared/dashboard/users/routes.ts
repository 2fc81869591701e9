/**
 * The users pages (administrators only, by the access table): list, create, change roles and the
 * active flag. Saving a change that takes anything away ends the person's sessions at once
 * (shared/app/people.ts); the notice says how many.
 */
import { Hono } from "hono";
import { createUser, updateUser } from "../../app/people.ts";
import type { HttpDeps, HttpLogger } from "../../http/context.ts";
import { canonicalRoles, EmailSchema, UserIdSchema } from "../../model/people.ts";
import { ConflictError, NotFoundError } from "../../store/errors.ts";
import type { UserInput } from "../../store/records.ts";
import { actor, type DashContext, type DashEnv, pageContext, sendPage } from "../common/context.ts";
import { type FieldErrors, type PostedForm, readForm } from "../common/forms.ts";
import type { DashboardStrings } from "../strings.ts";
import { grantsSection } from "./grants.ts";
import { fieldsOfUser, type UserFields, userFormPage, userListPage } from "./pages.ts";

function formFields(form: PostedForm, userId: string): UserFields {
  return {
    userId,
    name: form.text("name").trim(),
    email: form.text("email").trim(),
    roles: form.all("roles"),
    active: form.text("active") === "yes",
  };
}

function check(values: UserFields, s: DashboardStrings): FieldErrors {
  const errors: FieldErrors = new Map();
  if (!UserIdSchema.safeParse(values.userId).success) errors.set("userId", s.field.invalidId);
  if (values.name === "" || values.name.length > 200) errors.set("name", s.field.required);
  if (!EmailSchema.safeParse(values.email).success) errors.set("email", s.field.invalidEmail);
  return errors;
}

function inputOf(values: UserFields, c: DashContext): UserInput {
  return {
    userId: values.userId,
    name: values.name,
    email: values.email,
    roles: canonicalRoles(values.roles),
    active: values.active,
    updatedBy: actor(c),
  };
}

function userIdOf(c: DashContext): string {
  const id = c.req.param("id") ?? "";
  if (!UserIdSchema.safeParse(id).success) throw new NotFoundError("user", "-");
  return id;
}

export function userRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  routes.get("/users", async (c) => {
    const ctx = await pageContext(c, deps);
    const saved = UserIdSchema.safeParse(c.req.query("saved"));
    const user = saved.success ? await deps.users.get(saved.data) : null;
    const ended = Number(c.req.query("ended") ?? "0");
    const notice =
      user === null
        ? undefined
        : ended > 0
          ? ctx.s.userSavedLoggedOut(user.name, ended)
          : ctx.s.userSaved(user.name);
    return sendPage(c, userListPage(ctx, await deps.users.list(), notice));
  });

  routes.get("/users/_new", async (c) => {
    const ctx = await pageContext(c, deps);
    return sendPage(c, userFormPage(ctx, { editing: null, values: fieldsOfUser(null), errors: new Map() }));
  });

  routes.post("/users/_new", async (c) => {
    const form = await readForm(c);
    const ctx = await pageContext(c, deps);
    const values = formFields(form, form.text("userId").trim());
    const errors = check(values, ctx.s);
    if (errors.size === 0) {
      try {
        await createUser(deps, inputOf(values, c));
        logger.info("user created", { requestId: c.get("requestId") });
        return c.redirect(`/users?saved=${values.userId}`, 303);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        errors.set("userId", ctx.s.userExists);
      }
    }
    return sendPage(c, userFormPage(ctx, { editing: null, values, errors }), 400);
  });

  routes.get("/users/:id", async (c) => {
    const ctx = await pageContext(c, deps);
    const user = await deps.users.get(userIdOf(c));
    if (user === null) throw new NotFoundError("user", "-");
    const sessions = (await deps.sessions.list(user.userId)).length;
    const grants = grantsSection(ctx, user, await deps.workflows.list());
    return sendPage(
      c,
      userFormPage(ctx, { editing: user, values: fieldsOfUser(user), errors: new Map(), sessions, grants }),
    );
  });

  routes.post("/users/:id", async (c) => {
    const form = await readForm(c);
    const ctx = await pageContext(c, deps);
    const existing = await deps.users.get(userIdOf(c));
    if (existing === null) throw new NotFoundError("user", "-");
    const values = formFields(form, existing.userId);
    const errors = check(values, ctx.s);
    if (errors.size === 0) {
      try {
        const { sessionsEnded } = await updateUser(deps, inputOf(values, c));
        logger.info("user changed", { requestId: c.get("requestId"), sessionsEnded });
        return c.redirect(`/users?saved=${existing.userId}&ended=${sessionsEnded}`, 303);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        errors.set("email", ctx.s.userExists);
      }
    }
    return sendPage(c, userFormPage(ctx, { editing: existing, values, errors }), 400);
  });

  // Logs the person out everywhere without changing what they may do (a lost laptop).
  routes.post("/users/:id/sessions/end", async (c) => {
    const user = await deps.users.get(userIdOf(c));
    if (user === null) throw new NotFoundError("user", "-");
    const ended = await deps.sessions.endAll(user.userId);
    logger.info("sessions ended by an administrator", { requestId: c.get("requestId"), ended });
    return c.redirect(`/users?saved=${user.userId}&ended=${ended}`, 303);
  });

  return routes;
}

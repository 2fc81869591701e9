/**
 * Personal API tokens in the dashboard: a person makes, lists and revokes their own under
 * /tokens; an administrator sees and revokes anyone's under /users/:id/tokens (the access table
 * says who reaches which). A new token is shown once, in the answer to the POST that made it
 * (never stored, never redirected to, and the app sends every response with no-store).
 */
import { Hono } from "hono";
import {
  API_TOKEN_DAYS,
  type ApiTokenDays,
  createApiToken,
  revokeApiToken,
  TOKEN_ID_PATTERN,
} from "../../app/api-tokens.ts";
import type { HttpDeps, HttpLogger } from "../../http/context.ts";
import { UserIdSchema } from "../../model/people.ts";
import { NotFoundError } from "../../store/errors.ts";
import { actor, type DashContext, type DashEnv, pageContext, sendPage } from "../common/context.ts";
import { type FieldErrors, readForm } from "../common/forms.ts";
import type { DashboardStrings } from "../strings.ts";
import { EMPTY_TOKEN_FIELDS, myTokensPage, newTokenPage, type TokenFields, userTokensPage } from "./pages.ts";

const MAX_NAME = 100;

function check(values: TokenFields, s: DashboardStrings): FieldErrors {
  const errors: FieldErrors = new Map();
  if (values.name === "" || values.name.length > MAX_NAME) errors.set("name", s.tokenNameRequired);
  if (!API_TOKEN_DAYS.map(String).includes(values.days)) errors.set("days", s.tokenDaysInvalid);
  return errors;
}

/** The person the session belongs to, or null for the admin token's (which owns no tokens). */
function personOf(c: DashContext): string | null {
  const principal = c.get("principal");
  return principal.kind === "user" ? principal.userId : null;
}

function tokenIdOf(value: string | undefined): string {
  if (value === undefined || !TOKEN_ID_PATTERN.test(value)) throw new NotFoundError("API token", "-");
  return value;
}

function userIdOf(c: DashContext): string {
  const id = c.req.param("id") ?? "";
  if (!UserIdSchema.safeParse(id).success) throw new NotFoundError("user", "-");
  return id;
}

export function tokenRoutes(deps: HttpDeps, logger: HttpLogger): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();

  routes.get("/tokens", async (c) => {
    const ctx = await pageContext(c, deps);
    const userId = personOf(c);
    const tokens = userId === null ? [] : await deps.apiTokens.list(userId);
    const notice = c.req.query("revoked") === "1" ? ctx.s.tokenRevoked : undefined;
    return sendPage(
      c,
      myTokensPage(ctx, {
        person: userId !== null,
        tokens,
        now: deps.clock.now(),
        values: EMPTY_TOKEN_FIELDS,
        errors: new Map(),
        notice,
      }),
    );
  });

  routes.post("/tokens", async (c) => {
    const form = await readForm(c);
    const ctx = await pageContext(c, deps);
    const userId = personOf(c);
    const values: TokenFields = { name: form.text("name").trim(), days: form.text("days") };
    const errors: FieldErrors = userId === null ? new Map() : check(values, ctx.s);
    if (userId === null || errors.size > 0) {
      const tokens = userId === null ? [] : await deps.apiTokens.list(userId);
      const view = { person: userId !== null, tokens, now: deps.clock.now(), values, errors };
      return sendPage(c, myTokensPage(ctx, view), 400);
    }
    const { token, record } = await createApiToken(deps, {
      userId,
      name: values.name,
      days: Number(values.days) as ApiTokenDays,
      by: actor(c),
    });
    logger.info("API token created", { requestId: c.get("requestId"), tokenId: record.tokenId });
    return sendPage(c, newTokenPage(ctx, token, record), 201);
  });

  routes.post("/tokens/:id/revoke", async (c) => {
    const userId = personOf(c);
    const tokenId = tokenIdOf(c.req.param("id"));
    if (userId === null || !(await revokeApiToken(deps, userId, tokenId, actor(c)))) {
      throw new NotFoundError("API token", "-");
    }
    logger.info("API token revoked", { requestId: c.get("requestId"), tokenId });
    return c.redirect("/tokens?revoked=1", 303);
  });

  routes.get("/users/:id/tokens", async (c) => {
    const ctx = await pageContext(c, deps);
    const user = await deps.users.get(userIdOf(c));
    if (user === null) throw new NotFoundError("user", "-");
    const tokens = await deps.apiTokens.list(user.userId);
    const notice = c.req.query("revoked") === "1" ? ctx.s.tokenRevoked : undefined;
    return sendPage(c, userTokensPage(ctx, user, tokens, deps.clock.now(), notice));
  });

  routes.post("/users/:id/tokens/:token/revoke", async (c) => {
    const userId = userIdOf(c);
    const tokenId = tokenIdOf(c.req.param("token"));
    if (!(await revokeApiToken(deps, userId, tokenId, actor(c)))) throw new NotFoundError("API token", "-");
    logger.info("API token revoked by an administrator", { requestId: c.get("requestId"), tokenId });
    return c.redirect(`/users/${userId}/tokens?revoked=1`, 303);
  });

  return routes;
}

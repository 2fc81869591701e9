/**
 * The HTTP app: confirm pages, the admin JSON API and the dashboard, as one Hono app built from its
 * dependencies. API Gateway + Lambda serve it in AWS (functions/http.ts), Node locally and in
 * tests; nothing in it knows which.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { DefinitionCache } from "../app/definitions.ts";
import { dashboardArea } from "../dashboard/auth/guard.ts";
import { dashboardErrorHook } from "../dashboard/errors.ts";
import { createDashboardRoutes } from "../dashboard/routes.ts";
import { adminRoutes } from "./admin-routes.ts";
import { apiArea } from "./api-area.ts";
import { confirmRoutes } from "./confirm-routes.ts";
import { consoleLogger, type HttpDeps, type HttpEnv } from "./context.ts";
import { errorHandler, HttpError, notFoundHandler } from "./errors.ts";
import { accessGuard } from "./guard.ts";
import { mineRoutes } from "./mine-routes.ts";

export type { HttpDeps, HttpLogger } from "./context.ts";

/** The largest definition the loader takes; no request needs more. */
export const MAX_BODY_BYTES = 512 * 1024;

export function createHttpApp(appDeps: HttpDeps): Hono<HttpEnv> {
  // Versions never change: a confirm link reads its milestone and takes the definition from here.
  const deps: HttpDeps = { ...appDeps, definitions: appDeps.definitions ?? new DefinitionCache() };
  const logger = deps.logger ?? consoleLogger;
  const app = new Hono<HttpEnv>();

  // A fresh id per request, never the client's X-Request-Id (headerName ""): a client-chosen id
  // could forge log lines into another request's.
  app.use(requestId({ headerName: "" }));
  app.use(echoRequestId());
  app.use(
    secureHeaders({
      // JSON and redirects need nothing at all; a page sets its own policy (its stylesheet's hash,
      // see pages.ts and the dashboard's sendPage), which `overwrite: false` keeps.
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      // Framing is forbidden both ways (clickjacking a "confirm" button).
      xFrameOptions: "DENY",
      referrerPolicy: "no-referrer",
      overwrite: false,
    }),
  );
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new HttpError(413, "too_large", `the body is larger than ${MAX_BODY_BYTES / 1024} KiB`);
      },
    }),
  );
  // Every request meets the access table before any route (access.ts): who may reach what.
  // Failures outside /api, /confirm and /mine are the dashboard's pages (an unknown address too).
  const errorPage = dashboardErrorHook(deps);
  app.use(accessGuard({ api: apiArea(deps), dashboard: dashboardArea(deps, logger) }, errorPage));
  app.route("/confirm", confirmRoutes(deps, logger));
  app.route("/mine", mineRoutes(deps, logger));
  app.route("/api", adminRoutes(deps, logger));
  // After /confirm and /api, so their routes match first; the dashboard's pages set their own policy.
  app.route("/", createDashboardRoutes(deps, logger));
  app.notFound(notFoundHandler(errorPage));
  app.onError(errorHandler(logger, errorPage));
  return app;
}

/**
 * The request id in a header of every response, and no caching of any. Set before the handler,
 * into the headers Hono gives every response it builds (c.json, c.html, redirects, the error and
 * not-found handlers). That also matters for secureHeaders, which sets its headers on the finished
 * response: on @hono/node-server's lightweight Response (the global Response wherever the node
 * server runs in the same process, as in the tests) a response built without such prepared
 * headers loses them once its body is read first, as the Lambda adapter does.
 */
function echoRequestId(): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    c.header("X-Request-Id", c.get("requestId"));
    c.header("Cache-Control", "no-store");
    await next();
  };
}

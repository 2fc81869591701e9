/**
 * The local stack's one HTTP server on 127.0.0.1: the Hono app, and the embedded OpenID provider
 * under /oidc. One port, so the issuer (`http://127.0.0.1:<port>/oidc`) stays the same from one
 * start to the next and users' linked accounts keep matching.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { type OidcLogin, type OidcSettings, OpenIdClientLogin } from "../../shared/http/oidc.ts";
import type { LocalUser } from "../../shared/model/people.ts";
import { LocalStackError } from "./errors.ts";
import { closeServer } from "./http-server.ts";
import { embeddedProvider, type NodeHandler, PROVIDER_PATH } from "./oidc/provider.ts";

/** fristflow's login through the embedded provider: its settings are complete once the server listens. */
export interface LocalLogin {
  settings: OidcSettings;
  login: OidcLogin;
  users: readonly LocalUser[];
}

export function localLogin(users: readonly LocalUser[]): LocalLogin {
  const settings: OidcSettings = {
    issuer: "",
    clientId: "fristflow-local",
    // A fresh secret per start: the provider is made anew at each start too.
    clientSecret: randomBytes(24).toString("base64url"),
    label: "den lokale udbyder (users.json)",
  };
  return { settings, login: new OpenIdClientLogin(() => settings), users };
}

export interface LocalServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function serveLocal(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  login: LocalLogin | null,
): Promise<LocalServer> {
  const app = getRequestListener(fetch);
  let provider: NodeHandler | null = null;
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    if (url === PROVIDER_PATH || url.startsWith(`${PROVIDER_PATH}/`) || url.startsWith(`${PROVIDER_PATH}?`)) {
      if (provider !== null) return provider(req, res);
      res.writeHead(503, { "retry-after": "1" }).end();
      return;
    }
    app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new LocalStackError(
              `Port ${port} is in use. Stop what runs there, or start with --port <another port>.`,
            )
          : error,
      ),
    );
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${bound}`;
  if (login !== null) {
    login.settings.issuer = `${url}${PROVIDER_PATH}`;
    provider = embeddedProvider(login.settings.issuer, login.users, {
      clientId: login.settings.clientId,
      clientSecret: login.settings.clientSecret,
      redirectUri: `${url}/login/callback`,
    });
  }
  return {
    server,
    port: bound,
    url,
    close: () => closeServer(server),
  };
}

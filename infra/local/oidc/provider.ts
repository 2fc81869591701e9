/**
 * The embedded OpenID provider of the local stack: `oidc-provider` (a certified OpenID Provider)
 * mounted at `/oidc` on the local server, with the users of the local users file. fristflow logs
 * in through it exactly as through Entra ID: discovery, the authorization code flow with PKCE,
 * a signed ID token, the same openid-client code (shared/http/oidc.ts).
 *
 * Its login form (the "interaction") is ours: it checks the file's passwords. The interaction is
 * bound to the provider's path-scoped, SameSite=Lax interaction cookie, so another site cannot
 * post it. Consent is not asked: fristflow is the provider's one first-party client.
 */
import { createHash, generateKeyPairSync, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { LocalUser } from "../../../shared/model/people.ts";
import { loginFormPage, providerLanguage } from "./login-page.ts";
import { memoryAdapter } from "./memory-adapter.ts";

export const PROVIDER_PATH = "/oidc";
const INTERACTION = `${PROVIDER_PATH}/interaction/`;
const MAX_FORM_BYTES = 8 * 1024;

export interface EmbeddedClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

function samePassword(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

function findUser(users: readonly LocalUser[], login: string): LocalUser | undefined {
  const wanted = login.trim().toLowerCase();
  return users.find((u) => u.id === wanted || u.email === wanted);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error("login form too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function configuration(users: readonly LocalUser[], client: EmbeddedClient): Configuration {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: "jwk" }),
    kid: randomBytes(8).toString("hex"),
    use: "sig",
    alg: "RS256",
  };
  return {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    // Keys made at each start: nothing to keep, nothing in the repository.
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    pkce: { methods: ["S256"], required: () => true },
    // `groups` as Entra ID's group claim: for roles from groups (FRISTFLOW_GROUP_ROLES).
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    // The ID token carries the scopes' claims (as Entra ID's does), so no userinfo call is needed.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `${INTERACTION}${interaction.uid}` },
    async findAccount(_ctx: KoaContextWithOIDC, id: string) {
      const user = users.find((u) => u.id === id);
      if (user === undefined) return undefined;
      return {
        accountId: user.id,
        claims: async () => ({
          sub: user.id,
          email: user.email,
          email_verified: true,
          name: user.name,
          ...(user.groups === undefined ? {} : { groups: user.groups }),
        }),
      };
    },
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const oidc = ctx.oidc;
      const accountId = oidc.session?.accountId;
      if (oidc.client === undefined || accountId === undefined) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client.clientId);
      if (grantId) {
        const existing = await oidc.provider.Grant.find(grantId);
        if (existing !== undefined) return existing;
      }
      const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  };
}

/**
 * The provider for an issuer (`<base URL>/oidc`) and its one client, as a Node request handler
 * for every path under /oidc: the login form here, everything else to oidc-provider.
 */
export function embeddedProvider(
  issuer: string,
  users: readonly LocalUser[],
  client: EmbeddedClient,
): NodeHandler {
  const provider = new Provider(issuer, configuration(users, client));
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const language = providerLanguage(req.headers["accept-language"]);
    const action = `${INTERACTION}${details.uid}`;
    const page = (login: string, wrong: boolean, status: number) => {
      res.writeHead(status, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "x-frame-options": "DENY",
      });
      res.end(loginFormPage({ language, action, login, wrong }));
    };
    if (req.method === "GET") return page("", false, 200);
    const form = await readForm(req);
    const login = form.get("login") ?? "";
    const user = findUser(users, login);
    if (user === undefined || !samePassword(form.get("password") ?? "", user.password)) {
      return page(login, true, 401);
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.id } },
      { mergeWithLastSubmission: false },
    );
  }

  return (req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith(INTERACTION) && (req.method === "GET" || req.method === "POST")) {
      interaction(req, res).catch((err: unknown) => {
        if (res.headersSent) return res.end();
        res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
        res.end(
          `Login could not continue: ${err instanceof Error ? err.name : "error"}. Start again from fristflow.`,
        );
      });
      return;
    }
    // Mounted at /oidc: the provider sees its own paths, and the prefix through originalUrl.
    Object.assign(req, { originalUrl: url });
    req.url = url.slice(PROVIDER_PATH.length) || "/";
    callback(req, res);
  };
}

/**
 * The API's side of the access guard: the bearer token is the admin token (an administrator, for
 * the bootstrap and scripts) or a personal API token, which acts as its owner with their roles of
 * the moment (shared/app/api-tokens.ts). A wrong or unknown token counts as a failed attempt,
 * against the client's address and the token's id; past the limit the API answers 429 with
 * Retry-After before looking at the token at all (shared/app/attempts.ts).
 */
import type { Context, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { timingSafeEqual } from "hono/utils/buffer";
import { checkApiToken, looksLikeApiToken, tokenAccount } from "../app/api-tokens.ts";
import type { AttemptSubject } from "../app/attempt-policy.ts";
import { admitAttempt, countFailure } from "../app/attempts.ts";
import { ADMIN_TOKEN_PRINCIPAL, type Principal } from "../app/sessions.ts";
import { clientAddress } from "./client-address.ts";
import type { HttpDeps, HttpEnv } from "./context.ts";
import { HttpError } from "./errors.ts";
import type { AreaGuard } from "./guard.ts";

/** The realm of the WWW-Authenticate challenge. */
const ADMIN_REALM = "fristflow-admin";

type ApiAreaDeps = Pick<
  HttpDeps,
  | "adminToken"
  | "apiTokens"
  | "users"
  | "audit"
  | "attempts"
  | "clock"
  | "trustForwardedFor"
  | "attemptLimits"
>;

/** The refusal once the limit is reached: JSON with the time to wait, and nothing about the token. */
export function tooManyAttempts(retryAfter: number): HttpError {
  return new HttpError(
    429,
    "too_many_attempts",
    `too many failed attempts; try again in ${retryAfter} seconds`,
    { "Retry-After": String(retryAfter) },
  );
}

export function apiArea(deps: ApiAreaDeps): AreaGuard {
  const principals = new WeakMap<Context, Principal>();
  const bearer = requireBearer(async (presented, c) => {
    const subject: AttemptSubject = {
      kind: "bearer",
      address: clientAddress(c, { trustForwardedFor: deps.trustForwardedFor }),
      account: tokenAccount(presented) ?? undefined,
    };
    const admission = await admitAttempt(deps, subject, { requestId: c.get("requestId") });
    if (!admission.admitted) throw tooManyAttempts(admission.retryAfter);
    const principal = await identify(deps, presented);
    if (principal === null) {
      await countFailure(deps, subject);
      return false;
    }
    principals.set(c, principal);
    return true;
  });
  const forbidden = new HttpError(403, "forbidden", "your role does not allow this");
  return {
    authenticate: async (c) => {
      let admitted = false;
      // Refusals (no token, a wrong one, too many) are thrown as HttpError with the challenge.
      await bearer(c, async () => {
        admitted = true;
      });
      return admitted ? (principals.get(c) ?? null) : null;
    },
    unauthenticated: () => {
      throw new HttpError(401, "unauthorized", "a bearer token is required", {
        "WWW-Authenticate": `Bearer realm="${ADMIN_REALM}"`,
      });
    },
    forbidden: () => {
      throw forbidden;
    },
  };
}

/** The admin token, or the personal token's owner as they are now; null for anything else. */
async function identify(deps: ApiAreaDeps, presented: string): Promise<Principal | null> {
  if (looksLikeApiToken(presented)) {
    const checked = await checkApiToken(deps, presented);
    return checked.ok ? checked.principal : null;
  }
  const expected = await deps.adminToken();
  // Hono's constant-time compare (of SHA-256 digests): neither the token nor its length leaks.
  return expected.length > 0 && (await timingSafeEqual(expected, presented)) ? ADMIN_TOKEN_PRINCIPAL : null;
}

/**
 * Hono's bearerAuth reads the header; its refusals are thrown as HttpError, so they reach
 * errors.ts like every other failure: the JSON body with the request id, a challenge, and no token
 * ever logged or echoed. A header that is not a bearer token at all (another scheme, an empty
 * token) is answered like a missing one, and is not an attempt.
 */
function requireBearer(
  verify: (presented: string, c: Context<HttpEnv>) => Promise<boolean>,
): MiddlewareHandler<HttpEnv> {
  const challenge = `Bearer realm="${ADMIN_REALM}"`;
  const missing = refuse("a bearer token is required", challenge);
  return bearerAuth<HttpEnv>({
    realm: ADMIN_REALM,
    verifyToken: verify,
    noAuthenticationHeader: { message: missing },
    invalidAuthenticationHeader: { message: missing },
    invalidToken: { message: refuse("the bearer token is not valid", `${challenge}, error="invalid_token"`) },
  });
}

function refuse(message: string, challenge: string): () => never {
  return () => {
    throw new HttpError(401, "unauthorized", message, { "WWW-Authenticate": challenge });
  };
}

/**
 * Staff login through an OpenID provider (Entra ID in production, the embedded provider locally):
 * the authorization code flow with PKCE, state and nonce, all done by `openid-client`, a certified
 * relying-party library. This adapter is the only module that talks to the provider; the
 * dashboard keeps the pending login (state, nonce, verifier) in a signed cookie between the two
 * halves, and matches the verified claims to a user (shared/app/people.ts).
 */
import * as client from "openid-client";
import type { LoginClaims } from "../app/people.ts";
import { groupsOf } from "../model/group-roles.ts";

export interface OidcSettings {
  /** The issuer URL; its discovery document is read on the first login. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the login button says after "Log in with", e.g. "Ishøj Kommune (Microsoft)". */
  label: string;
  /** The ID token claim with the person's groups, for roles from groups (default `groups`, Entra ID's). */
  groupClaim?: string;
}

/** What the callback needs to check the answer belongs to this browser's login. */
export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
}

export interface OidcLogin {
  label(): string;
  /** The provider's authorization URL to send the browser to, and what to keep until it comes back. */
  begin(redirectUri: string): Promise<{ url: string; pending: PendingLogin }>;
  /**
   * Exchanges the code in the callback URL (checking state, PKCE, the ID token's signature,
   * issuer, audience, expiry and nonce) and gives the verified claims. Throws on any mismatch.
   */
  finish(callbackUrl: URL, pending: PendingLogin): Promise<LoginClaims>;
}

/** Plain HTTP only to this machine (the embedded provider); anything else must be HTTPS. */
function isLoopback(issuer: URL): boolean {
  return issuer.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(issuer.hostname);
}

export class OpenIdClientLogin implements OidcLogin {
  private config: Promise<client.Configuration> | null = null;
  private configFor = "";

  /** `settings` is read on every use: the local stack learns its issuer's port only once it listens. */
  constructor(private readonly settings: () => OidcSettings) {}

  label(): string {
    return this.settings().label;
  }

  private configuration(): Promise<client.Configuration> {
    const settings = this.settings();
    const key = `${settings.issuer} ${settings.clientId}`;
    if (this.config === null || this.configFor !== key) {
      const issuer = new URL(settings.issuer);
      this.configFor = key;
      this.config = client
        .discovery(
          issuer,
          settings.clientId,
          settings.clientSecret,
          undefined,
          isLoopback(issuer) ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
        )
        .catch((err: unknown) => {
          // Not cached: the next login tries discovery again (the provider may be back).
          this.config = null;
          throw err;
        });
    }
    return this.config;
  }

  async begin(redirectUri: string): Promise<{ url: string; pending: PendingLogin }> {
    const config = await this.configuration();
    const pending: PendingLogin = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: "openid email profile",
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: "S256",
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  async finish(callbackUrl: URL, pending: PendingLogin): Promise<LoginClaims> {
    const config = await this.configuration();
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (claims === undefined) throw new Error("the provider sent no ID token");
    const groupClaim = this.settings().groupClaim ?? "groups";
    // Entra ID puts the sign-in address in preferred_username when the optional `email` claim is off.
    const email =
      typeof claims.email === "string"
        ? claims.email
        : typeof claims.preferred_username === "string" && claims.preferred_username.includes("@")
          ? claims.preferred_username
          : undefined;
    return {
      issuer: claims.iss,
      subject: claims.sub,
      email,
      emailVerified: typeof claims.email_verified === "boolean" ? claims.email_verified : undefined,
      name: typeof claims.name === "string" ? claims.name : undefined,
      groups: groupClaim in claims ? groupsOf(claims[groupClaim]) : undefined,
    };
  }
}

/**
 * Staff login through a SAML 2.0 identity provider (AD FS, KOMBIT's Context Handler): the
 * AuthnRequest by HTTP-Redirect, the signed Response by HTTP-POST to the ACS, and the SP metadata
 * to hand to the provider. Every check of the answer (XML signatures of the response and the
 * assertion against the provider's certificates, issuer, audience, validity window, InResponseTo)
 * is done by @node-saml/node-saml; this adapter is the only module that talks to it.
 *
 * Which requests are pending lives in the table (SamlRequestStore), not in the process: the ACS
 * may land on another Lambda container than the redirect did, and the IdP's POST is cross-site,
 * so a SameSite cookie would not come along with it. A request id is used up once, by a
 * conditional delete, so a replayed response is refused on every container. The browser that
 * starts a login keeps the request's id in a cookie of its own (SameSite=None, only for the ACS:
 * shared/dashboard/auth/saml.ts), and a response is taken only with the id it answers.
 */
import { X509Certificate } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import { type CacheProvider, type Profile, SAML, ValidateInResponseTo } from "@node-saml/node-saml";
import { z } from "zod";
import type { LoginClaims } from "../app/people.ts";
import { groupsOf } from "../model/group-roles.ts";
import { EmailSchema } from "../model/people.ts";
import { PrivilegeScopeSchema, privilegeScopeOf } from "../model/privilege-scope.ts";
import type { SamlRequestStore } from "../store/ports.ts";
import type { Clock } from "../time/clock.ts";
import { PRIVILEGES_ATTRIBUTE, privilegesIn } from "./kombit-privileges.ts";

/** How long the provider may take to send the person back: as long as an OpenID login. */
export const SAML_REQUEST_SECONDS = 10 * 60;

/** AD FS's outgoing claim type for group names ("Token-Groups - Unqualified Names" → Group). */
export const DEFAULT_GROUP_ATTRIBUTE = "http://schemas.xmlsoap.org/claims/Group";

/** Where AD FS, Entra ID and other providers put the e-mail, when `emailAttribute` is not set. */
const EMAIL_ATTRIBUTES = [
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
  "urn:oid:0.9.2342.19200300.100.1.3",
  "mail",
  "email",
];
const NAME_ATTRIBUTES = [
  "http://schemas.microsoft.com/identity/claims/displayname",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
  "urn:oid:2.16.840.1.113730.3.1.241",
  "displayName",
  "name",
];

/** Plain HTTP only to this machine; anything else must be HTTPS. */
function isSecureUrl(value: string): boolean {
  const url = new URL(value);
  return (
    url.protocol === "https:" ||
    (url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname))
  );
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** One or more certificates as PEM (or the bare base64 of one, as IdP metadata holds it). */
function certificatesIn(text: string): string[] {
  const blocks = text.match(PEM_BLOCK);
  if (blocks !== null) return blocks;
  const body = text.replace(/\s+/g, "");
  return body === "" ? [] : [`-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`];
}

function isCertificate(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

const HttpsUrl = z.url().refine(isSecureUrl, "must be an https:// URL (http:// only to this machine)");

/** The SAML login's settings: what the provider's metadata says, and who fristflow is to it. */
export const SamlSettingsSchema = z.strictObject({
  /** The provider's SingleSignOnService URL (HTTP-Redirect binding). */
  entryPoint: HttpsUrl,
  /** The provider's signing certificate(s), PEM; two during a certificate rollover. */
  idpCert: z
    .union([z.string(), z.array(z.string()).min(1)])
    .transform((value) => (Array.isArray(value) ? value : [value]).flatMap(certificatesIn))
    .refine((certs) => certs.length > 0, "must hold at least one PEM certificate")
    .refine((certs) => certs.every(isCertificate), "holds something that is not an X.509 certificate"),
  /** The provider's entity id; when set, a response from any other issuer is refused. */
  idpIssuer: z.string().min(1).max(1024).optional(),
  /** fristflow's entity id at the provider (the relying party trust's identifier); also the audience. */
  spEntityId: z.string().min(1).max(1024),
  /** `<publicBaseUrl>/login/saml/callback`, the assertion consumer service. */
  callbackUrl: HttpsUrl,
  emailAttribute: z.string().min(1).max(1024).optional(),
  groupAttribute: z.string().min(1).max(1024).optional(),
  /**
   * KOMBIT Context Handler: the municipality's scope (its CVR number, or the scope URN). The
   * privileges the person holds there (PRIVILEGES_ATTRIBUTE) count as their groups.
   */
  privilegeScope: PrivilegeScopeSchema.transform(privilegeScopeOf).optional(),
  /** The whole response signed, not only the assertion (the default; AD FS: MessageAndAssertion). */
  wantAuthnResponseSigned: z.boolean().optional(),
  /** What the login button says after "Log ind med". */
  label: z.string().min(1).max(200).optional(),
});
export type SamlSettings = z.output<typeof SamlSettingsSchema>;
export type SamlSettingsInput = z.input<typeof SamlSettingsSchema>;

export interface SamlLogin {
  label(): string | undefined;
  /**
   * The provider's SSO URL with a fresh AuthnRequest (remembered as pending) and `relayState`, and
   * the request's id: the browser that starts the login keeps it (a cookie), so a response is
   * only taken from the browser that asked for it.
   */
  begin(relayState: string): Promise<{ url: string; requestId: string }>;
  /**
   * Checks a posted SAMLResponse (signatures, issuer, audience, validity, that it answers a
   * pending request of ours, and that this is the request the posting browser started:
   * `startedRequestId`) and uses the request up. Throws on any mismatch.
   */
  finish(
    form: { SAMLResponse: string; RelayState?: string },
    startedRequestId: string | undefined,
  ): Promise<LoginClaims>;
  /** The SP metadata XML to give the provider. */
  metadata(): string;
}

/**
 * The ID of the AuthnRequest in a redirect-binding URL (SAMLRequest: deflated, base64), as our
 * own SP wrote it: what the starting browser keeps to prove the response is for it.
 */
export function authnRequestIdOf(url: string): string {
  const encoded = new URL(url).searchParams.get("SAMLRequest");
  if (encoded === null) throw new Error("the SSO URL carries no SAMLRequest");
  const xml = inflateRawSync(Buffer.from(encoded, "base64")).toString("utf8");
  const id = /<(?:\w+:)?AuthnRequest\b[^>]*\sID="([^"]+)"/.exec(xml)?.[1];
  if (id === undefined || !REQUEST_ID.test(id)) throw new Error("the AuthnRequest has no usable ID");
  return id;
}

/** node-saml ids are `_` and hex; anything else in InResponseTo never reaches the table. */
const REQUEST_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

function firstString(value: unknown): string | undefined {
  const values = Array.isArray(value) ? value : [value];
  const found = values.find((v): v is string => typeof v === "string" && v.trim() !== "");
  return found?.trim();
}

export class NodeSamlLogin implements SamlLogin {
  private saml: SAML | null = null;
  private samlFor = "";

  /** `settings` is read on every use: the local stack learns its callback URL only once it listens. */
  constructor(
    private readonly settings: () => SamlSettings,
    private readonly requests: SamlRequestStore,
    private readonly clock: Clock,
  ) {}

  label(): string | undefined {
    return this.settings().label;
  }

  private cache(): CacheProvider {
    return {
      saveAsync: async (key, value) => {
        const now = this.clock.now();
        await this.requests.put(key, now.add({ seconds: SAML_REQUEST_SECONDS }).toString());
        return { value, createdAt: now.epochMilliseconds };
      },
      // node-saml wants the request's instant, to add its expiry to on the real clock; the store
      // has already decided (on the injected clock) that it has not ended, so "now" says just that.
      getAsync: async (key) =>
        REQUEST_ID.test(key) && (await this.requests.pending(key)) ? this.clock.now().toString() : null,
      // finish() uses the id up itself, once the whole response is valid (see there).
      removeAsync: async (key) => key,
    };
  }

  private client(): SAML {
    const settings = this.settings();
    const key = JSON.stringify(settings);
    if (this.saml === null || this.samlFor !== key) {
      this.samlFor = key;
      this.saml = new SAML({
        entryPoint: settings.entryPoint,
        idpCert: settings.idpCert,
        ...(settings.idpIssuer === undefined ? {} : { idpIssuer: settings.idpIssuer }),
        issuer: settings.spEntityId,
        audience: settings.spEntityId,
        callbackUrl: settings.callbackUrl,
        wantAssertionsSigned: true,
        wantAuthnResponseSigned: settings.wantAuthnResponseSigned ?? true,
        validateInResponseTo: ValidateInResponseTo.always,
        // The store ends pending requests (SAML_REQUEST_SECONDS); node-saml's own check must not
        // second-guess it on another clock (the demo's virtual one, say).
        requestIdExpirationPeriodMs: 100 * 365 * 24 * 3600 * 1000,
        cacheProvider: this.cache(),
        // A minute either way between the provider's clock and ours.
        acceptedClockSkewMs: 60_000,
        // The provider chooses the NameID format and how the person signs in (AD FS with Windows
        // authentication refuses a request that demands a password).
        identifierFormat: null,
        disableRequestedAuthnContext: true,
        signatureAlgorithm: "sha256",
      });
    }
    return this.saml;
  }

  async begin(relayState: string): Promise<{ url: string; requestId: string }> {
    const url = await this.client().getAuthorizeUrlAsync(relayState, undefined, {});
    return { url, requestId: authnRequestIdOf(url) };
  }

  async finish(
    form: { SAMLResponse: string; RelayState?: string },
    startedRequestId: string | undefined,
  ): Promise<LoginClaims> {
    const { profile, loggedOut } = await this.client().validatePostResponseAsync({
      SAMLResponse: form.SAMLResponse,
      ...(form.RelayState === undefined ? {} : { RelayState: form.RelayState }),
    });
    if (profile === null || loggedOut) throw new Error("the response carries no login");
    const requestId = typeof profile.inResponseTo === "string" ? profile.inResponseTo : "";
    // Login CSRF: a valid response to someone else's request (the attacker's own login, posted by
    // the victim's browser) would log the victim in as the attacker.
    if (startedRequestId === undefined || startedRequestId !== requestId) {
      throw new Error("the response answers a login this browser did not start");
    }
    // node-saml has seen the id pending; taking it is what makes a second use fail, on any server.
    if (!REQUEST_ID.test(requestId) || !(await this.requests.take(requestId))) {
      throw new Error("the response answers no pending request (used already, or expired)");
    }
    return this.claimsOf(profile);
  }

  private claimsOf(profile: Profile): LoginClaims {
    const settings = this.settings();
    const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
    if (typeof profile.issuer !== "string" || profile.issuer === "" || !profile.nameID) {
      throw new Error("the assertion has no issuer or NameID");
    }
    const emailNames = settings.emailAttribute === undefined ? EMAIL_ATTRIBUTES : [settings.emailAttribute];
    const candidates = [
      ...emailNames.map((name) => firstString(attributes[name])),
      profile.nameIDFormat?.endsWith(":emailAddress") ? profile.nameID : undefined,
    ];
    const email = candidates
      .map((candidate) => EmailSchema.safeParse(candidate))
      .find((parsed) => parsed.success)?.data;
    const groupName = settings.groupAttribute ?? DEFAULT_GROUP_ATTRIBUTE;
    const groups = groupName in attributes ? groupsOf(attributes[groupName]) : undefined;
    const privileges =
      settings.privilegeScope === undefined || !(PRIVILEGES_ATTRIBUTE in attributes)
        ? undefined
        : privilegesIn(firstString(attributes[PRIVILEGES_ATTRIBUTE]) ?? "", settings.privilegeScope);
    return {
      issuer: profile.issuer,
      subject: profile.nameID,
      email,
      // What a signed assertion of the organisation's own provider says is taken as verified.
      emailVerified: true,
      name: NAME_ATTRIBUTES.map((name) => firstString(attributes[name])).find((n) => n !== undefined),
      // Sent neither: the roles stay as the dashboard set them.
      groups:
        groups === undefined && privileges === undefined
          ? undefined
          : [...(groups ?? []), ...(privileges ?? [])],
    };
  }

  metadata(): string {
    return this.client().generateServiceProviderMetadata(null, null);
  }
}

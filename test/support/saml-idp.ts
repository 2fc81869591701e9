/**
 * A SAML identity provider for tests, doing what AD FS does with a login: its own RSA key and
 * self-signed certificate (node-forge), its metadata, and signed Responses (xml-crypto: the
 * assertion signed, then the whole response, exclusive c14n, RSA-SHA256) answering the
 * AuthnRequest that fristflow's redirect carries.
 */

import { randomBytes } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import forge from "node-forge";
import { SignedXml } from "xml-crypto";
import { PRIVILEGES_ATTRIBUTE } from "../../shared/http/kombit-privileges.ts";

export const IDP_ENTITY_ID = "http://adfs.kommune.example.dk/adfs/services/trust";
export const IDP_SSO_URL = "https://adfs.kommune.example.dk/adfs/ls/";
export const GROUP_ATTRIBUTE = "http://schemas.xmlsoap.org/claims/Group";
const EMAIL_ATTRIBUTE = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
const NAME_ATTRIBUTE = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";

export interface TestIdp {
  certPem: string;
  keyPem: string;
  /** The IdP's metadata XML, as an administrator downloads it from AD FS. */
  metadata: string;
  respond(options: ResponseOptions): string;
}

/** What the AuthnRequest in fristflow's redirect says. */
export interface AuthnRequest {
  id: string;
  issuer: string;
  acsUrl: string;
  relayState: string | null;
}

export interface ResponseOptions {
  /** The AuthnRequest's ID; null for a response nobody asked for (IdP-initiated). */
  inResponseTo: string | null;
  acsUrl: string;
  audience: string;
  nameId: string;
  email?: string;
  name?: string;
  groups?: string[];
  /** KOMBIT Context Handler's privilege list, base64 (privilegeList below). */
  privileges?: string;
  /** Validity: from `issuedAt`, for `validSeconds`. */
  issuedAt?: Date;
  validSeconds?: number;
  /** Sign with another key than the metadata's (a forged IdP). */
  signingKeyPem?: string;
}

/**
 * A privilege list as Context Handler encodes it (OIOSAML basic privilege profile): base64 of the
 * XML, a PrivilegeGroup per scope with its privileges and a constraint.
 */
export function privilegeList(groups: { scope: string; privileges: string[] }[], prefix = "bpp"): string {
  const body = groups
    .map(
      (g) =>
        `<PrivilegeGroup Scope="${g.scope}">${g.privileges.map((p) => `<Privilege>${p}</Privilege>`).join("")}<Constraint Name="urn:dk:kombit:KLE">27.*</Constraint></PrivilegeGroup>`,
    )
    .join("");
  const xml = `<?xml version="1.0" encoding="UTF-8"?><${prefix}:PrivilegeList xmlns:${prefix}="http://itst.dk/oiosaml/basic_privilege_profile" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${body}</${prefix}:PrivilegeList>`;
  return Buffer.from(xml, "utf8").toString("base64");
}

/** A fresh key pair and a self-signed certificate, valid from yesterday for a year. */
export function selfSignedCertificate(commonName: string): { certPem: string; keyPem: string } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now + 365 * 24 * 3600 * 1000);
  const subject = [{ name: "commonName", value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

function certBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function createTestIdp(): TestIdp {
  const { certPem, keyPem } = selfSignedCertificate("ADFS Signing - adfs.kommune.example.dk");
  const metadata = `<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${IDP_ENTITY_ID}">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing">
      <KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${certBody(certPem)}</X509Certificate></X509Data></KeyInfo>
    </KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${IDP_SSO_URL}"/>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${IDP_SSO_URL}"/>
  </IDPSSODescriptor>
</EntityDescriptor>
`;
  return { certPem, keyPem, metadata, respond: (options) => signedResponse(options, certPem, keyPem) };
}

function sign(xml: string, keyPem: string, certPem: string, element: "Assertion" | "Response"): string {
  const signer = new SignedXml({
    privateKey: keyPem,
    publicCert: certPem,
    signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
  });
  const path = element === "Assertion" ? "//*[local-name(.)='Assertion']" : "/*[local-name(.)='Response']";
  signer.addReference({
    xpath: path,
    transforms: [
      "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
      "http://www.w3.org/2001/10/xml-exc-c14n#",
    ],
    digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
  });
  // Where the schema puts it: right after the element's own Issuer.
  signer.computeSignature(xml, {
    prefix: "ds",
    location: { reference: `${path}/*[local-name(.)='Issuer']`, action: "after" },
  });
  return signer.getSignedXml();
}

function attribute(name: string, values: readonly string[]): string {
  if (values.length === 0) return "";
  const each = values.map((v) => `<saml:AttributeValue>${escapeXml(v)}</saml:AttributeValue>`).join("");
  return `<saml:Attribute Name="${name}">${each}</saml:Attribute>`;
}

function signedResponse(o: ResponseOptions, certPem: string, keyPem: string): string {
  const issued = o.issuedAt ?? new Date();
  const until = new Date(issued.getTime() + (o.validSeconds ?? 300) * 1000).toISOString();
  const at = issued.toISOString();
  const before = new Date(issued.getTime() - 60_000).toISOString();
  const inResponseTo = o.inResponseTo === null ? "" : ` InResponseTo="${o.inResponseTo}"`;
  const attributes = [
    attribute(EMAIL_ATTRIBUTE, o.email === undefined ? [] : [o.email]),
    attribute(NAME_ATTRIBUTE, o.name === undefined ? [] : [o.name]),
    attribute(GROUP_ATTRIBUTE, o.groups ?? []),
    attribute(PRIVILEGES_ATTRIBUTE, o.privileges === undefined ? [] : [o.privileges]),
  ].join("");
  const assertion = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a${randomBytes(16).toString("hex")}" Version="2.0" IssueInstant="${at}"><saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${escapeXml(o.nameId)}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${inResponseTo} NotOnOrAfter="${until}" Recipient="${o.acsUrl}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${before}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${escapeXml(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement>${attributes}</saml:AttributeStatement><saml:AuthnStatement AuthnInstant="${at}" SessionIndex="_s${randomBytes(8).toString("hex")}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement></saml:Assertion>`;
  const key = o.signingKeyPem ?? keyPem;
  const signedAssertion = sign(assertion, key, certPem, "Assertion");
  const response = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomBytes(16).toString("hex")}" Version="2.0" IssueInstant="${at}" Destination="${o.acsUrl}"${inResponseTo}><saml:Issuer>${IDP_ENTITY_ID}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${signedAssertion}</samlp:Response>`;
  return sign(response, key, certPem, "Response");
}

/** The AuthnRequest in an HTTP-Redirect binding URL (deflated, base64). */
export function readAuthnRequest(location: string): AuthnRequest {
  const url = new URL(location);
  const encoded = url.searchParams.get("SAMLRequest");
  if (encoded === null) throw new Error(`no SAMLRequest in ${location}`);
  const xml = inflateRawSync(Buffer.from(encoded, "base64")).toString("utf8");
  const id = /\sID="([^"]+)"/.exec(xml)?.[1];
  const acsUrl = /AssertionConsumerServiceURL="([^"]+)"/.exec(xml)?.[1];
  const issuer = /<saml:Issuer[^>]*>([^<]+)<\/saml:Issuer>/.exec(xml)?.[1];
  if (id === undefined || acsUrl === undefined || issuer === undefined)
    throw new Error(`unexpected AuthnRequest: ${xml}`);
  return { id, issuer, acsUrl, relayState: url.searchParams.get("RelayState") };
}

/** What an administrator copies from the IdP's metadata: the SSO URL, the entity id, the certificate. */
export function readIdpMetadata(xml: string): { entityId: string; ssoUrl: string; certPem: string } {
  const entityId = /entityID="([^"]+)"/.exec(xml)?.[1];
  const ssoUrl = /Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="([^"]+)"/.exec(
    xml,
  )?.[1];
  const cert = /<X509Certificate>([^<]+)<\/X509Certificate>/.exec(xml)?.[1];
  if (entityId === undefined || ssoUrl === undefined || cert === undefined)
    throw new Error("unreadable IdP metadata");
  const lines = cert.match(/.{1,64}/g) ?? [];
  return {
    entityId,
    ssoUrl,
    certPem: `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`,
  };
}

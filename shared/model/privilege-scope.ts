/**
 * The municipality's scope at KOMBIT (its CVR number, or `urn:dk:gov:saml:cvrNumberIdentifier:<CVR>`),
 * as the SAML settings and the CDK context take it: one rule for both, so a typo is refused with
 * the same words at deploy and at start (shared/http/kombit-privileges.ts reads the privileges).
 */
import { z } from "zod";

export const PrivilegeScopeSchema = z
  .string()
  .trim()
  .regex(
    /^(\d{8}|urn:dk:gov:saml:cvrNumberIdentifier:\d{8})$/,
    "must be a CVR number (8 digits) or its scope URN",
  );

/** `12345678` or the scope URN itself, as the settings take it; the URN in either case. */
export function privilegeScopeOf(cvrOrUrn: string): string {
  const trimmed = cvrOrUrn.trim();
  return /^\d{8}$/.test(trimmed) ? `urn:dk:gov:saml:cvrNumberIdentifier:${trimmed}` : trimmed;
}

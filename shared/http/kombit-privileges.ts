/**
 * KOMBIT's Context Handler sends a person's rights not as groups but as an OIOSAML "basic
 * privilege profile" list: the attribute's value is base64 of an XML PrivilegeList, whose
 * PrivilegeGroups each name a scope (the municipality, `urn:dk:gov:saml:cvrNumberIdentifier:<CVR>`)
 * and the privileges (URIs the municipality assigned in KOMBIT's administration) held there.
 *
 * fristflow reads the privileges of its own municipality's scope as the person's groups, which the
 * group-to-role mapping turns into roles; a privilege held for another municipality gives nothing.
 * The XML comes from a signed assertion, and is still parsed with a size limit and no entities
 * (@xmldom/xmldom, which node-saml parses with too, resolves none).
 */
import { DOMParser } from "@xmldom/xmldom";

/** The attribute Context Handler puts the privilege list in. */
export const PRIVILEGES_ATTRIBUTE = "dk:gov:saml:attribute:Privileges_intermediate";

/** Far above a real list (a few KiB for dozens of privileges). */
const MAX_LIST_BYTES = 64 * 1024;

/** Pure: the privileges the encoded list grants in `scope`, in list order, each once. Throws on a bad list. */
export function privilegesIn(encoded: string, scope: string): string[] {
  const bytes = Buffer.from(encoded.trim(), "base64");
  if (bytes.length === 0 || bytes.length > MAX_LIST_BYTES) {
    throw new Error(`the privilege list is empty or over ${MAX_LIST_BYTES} bytes`);
  }
  let doc: ReturnType<DOMParser["parseFromString"]>;
  try {
    // Every problem the parser reports, not only a fatal one, refuses the list.
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") throw new Error(message);
      },
    }).parseFromString(bytes.toString("utf8"), "text/xml");
  } catch (err) {
    throw new Error(`the privilege list is not XML: ${String((err as Error).message).slice(0, 120)}`);
  }
  if (doc.documentElement?.localName !== "PrivilegeList")
    throw new Error("the attribute holds no PrivilegeList");
  const privileges = new Set<string>();
  const groups = doc.documentElement.getElementsByTagNameNS("*", "PrivilegeGroup");
  for (let g = 0; g < groups.length; g++) {
    const group = groups.item(g);
    if (group === null || group.getAttribute("Scope")?.trim() !== scope) continue;
    const held = group.getElementsByTagNameNS("*", "Privilege");
    for (let p = 0; p < held.length; p++) {
      const privilege = held.item(p)?.textContent?.trim();
      if (privilege) privileges.add(privilege);
    }
  }
  return [...privileges];
}

export {
  type CreateConfirmLinkInput,
  type CreatedLink,
  createConfirmLink,
  type LinkPurpose,
  type LinkRecord,
  linkExpiry,
  MIN_LINK_KEY_BYTES,
  type RandomBytes,
  type VerifyResult,
  verifyLink,
} from "./confirm-link.ts";
export { FileLinkKeyProvider, type LinkKeyProvider, SecretsManagerLinkKeyProvider } from "./keys.ts";

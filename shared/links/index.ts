export {
  type CreateConfirmLinkInput,
  type CreatedLink,
  claimsOfLinkUrl,
  createConfirmLink,
  type LinkClaims,
  type LinkPurpose,
  linkExpiry,
  MIN_LINK_KEY_BYTES,
  type RandomBytes,
  type VerifyResult,
  verifyLink,
} from "./confirm-link.ts";
export { FileLinkKeyProvider, type LinkKeyProvider, SecretsManagerLinkKeyProvider } from "./keys.ts";
export {
  type CreatedMineLink,
  createMineLink,
  MINE_LINK_DAYS,
  type MineLinkClaims,
  type MineVerifyResult,
  mineLinkExpiry,
  personIdOf,
  verifyMineLink,
} from "./mine-link.ts";

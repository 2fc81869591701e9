/**
 * Task tokens are opaque to their holders but carry the execution ARN, so a signal finds its
 * execution without a lookup table; the random part makes an old token useless once replaced.
 */
import { randomBytes } from "node:crypto";
import type { ExecutionRecord } from "./store.ts";

export function newTaskToken(record: ExecutionRecord): string {
  const arn = Buffer.from(record.executionArn, "utf8").toString("base64url");
  return `fftt1.${arn}.${record.transitions}.${randomBytes(12).toString("base64url")}`;
}

/** The execution a token was handed out by; undefined for anything this engine did not issue. */
export function executionOfToken(token: string): string | undefined {
  const parts = token.split(".");
  if (parts.length !== 4 || parts[0] !== "fftt1" || !parts[1]) return undefined;
  return Buffer.from(parts[1], "base64url").toString("utf8");
}

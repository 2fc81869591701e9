/**
 * The address a request came from, for the attempt limits: the source address API Gateway saw
 * (HTTP API v2 or REST v1, in the Lambda adapter's bindings) or the socket's peer (Node). Read
 * from the bindings by shape, so the app still does not know which runtime serves it.
 *
 * X-Forwarded-For is anyone's to write, so it counts only where the deployment says a proxy of its
 * own sets it (`trustForwardedFor`), and then only its last entry: the one that proxy added.
 */
import type { Context } from "hono";

/** What no runtime told us: all such requests share one counter, which errs on the safe side. */
export const UNKNOWN_ADDRESS = "unknown";

type Bindings = {
  requestContext?: { http?: { sourceIp?: unknown }; identity?: { sourceIp?: unknown } };
  incoming?: { socket?: { remoteAddress?: unknown } };
};

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value.length <= 100 ? value : undefined;
}

export function clientAddress(c: Context, options: { trustForwardedFor?: boolean | undefined } = {}): string {
  if (options.trustForwardedFor === true) {
    const last = c.req.header("x-forwarded-for")?.split(",").pop()?.trim();
    const forwarded = text(last);
    if (forwarded !== undefined) return forwarded;
  }
  const env = (c.env ?? {}) as Bindings;
  return (
    text(env.requestContext?.http?.sourceIp) ??
    text(env.requestContext?.identity?.sourceIp) ??
    text(env.incoming?.socket?.remoteAddress) ??
    UNKNOWN_ADDRESS
  );
}

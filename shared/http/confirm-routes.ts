/**
 * `/confirm/:id`: GET shows what a click will confirm and changes nothing (mail scanners and
 * link previews fetch every URL, some run scripts, so the page has none and never submits
 * itself); POST, sent only by the button, confirms once and shows a receipt.
 *
 * A bad signature is a failed attempt (against the address and the link id); past the limit
 * both answer 429 with Retry-After and a page that says so.
 */
import { type Context, Hono } from "hono";
import type { AttemptSubject } from "../app/attempt-policy.ts";
import { admitAttempt, countFailure } from "../app/attempts.ts";
import { confirmLink, describeConfirmLink, LinkRefusedError } from "../app/confirm.ts";
import { tooManyAttempts } from "./api-area.ts";
import { clientAddress } from "./client-address.ts";
import { type HttpDeps, type HttpEnv, type HttpLogger, languageOf } from "./context.ts";
import { alreadyPage, confirmPage, receiptPage, sendPage } from "./pages.ts";

/** Longer than any signature (43 characters); a bound so a huge field is refused before any work. */
const MAX_SIG_LENGTH = 128;

export function confirmRoutes(deps: HttpDeps, logger: HttpLogger): Hono<HttpEnv> {
  const routes = new Hono<HttpEnv>();

  routes.get("/:id", async (c) => {
    const language = languageOf(c);
    const sig = bounded(c.req.query("sig"));
    const view = await limited(deps, c, () =>
      describeConfirmLink(deps, c.req.param("id"), sig, deps.linkKey, { language }),
    );
    if (view.confirmedAt !== null) return sendPage(c, alreadyPage(view, view.confirmedAt, language));
    return sendPage(c, confirmPage(view, sig, language));
  });

  routes.post("/:id", async (c) => {
    const language = languageOf(c);
    const form = await c.req.parseBody();
    const field = form.sig;
    // The form sends the signature as a field; a client that posts to the mailed URL has it in the query.
    const sig = bounded(typeof field === "string" ? field : c.req.query("sig"));
    const requestId = c.get("requestId");
    const outcome = await limited(deps, c, () =>
      confirmLink(deps, c.req.param("id"), sig, deps.linkKey, { language, requestId }),
    );
    if (outcome.status === "already") return sendPage(c, alreadyPage(outcome.view, outcome.at, language));

    // Ids only: no recipient, no signature.
    const facts = {
      requestId,
      instanceId: outcome.view.instanceId,
      occurrenceKey: outcome.view.occurrenceKey,
      wake: outcome.wake.status,
    };
    if (outcome.wake.status === "failed") {
      // The confirmation stands; a loop that was not woken catches up at its next timer.
      logger.warn("milestone confirmed, the loop not woken", facts);
    } else {
      logger.info("milestone confirmed", facts);
    }
    return sendPage(c, receiptPage(outcome.view, outcome.at, language));
  });

  return routes;
}

/**
 * Runs a link check; a bad signature is counted as a failed attempt, and past the limit it is
 * answered 429 instead of "invalid link". A genuine link is never held up: the signature is
 * checked before anything is read, so the limit costs nothing on the way every leader takes (the
 * confirm GET and POST stay at their measured reads), and a 256-bit signature cannot be guessed.
 */
async function limited<T>(deps: HttpDeps, c: Context<HttpEnv>, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (err) {
    if (!(err instanceof LinkRefusedError && err.reason === "tampered")) throw err;
    const subject: AttemptSubject = {
      kind: "link",
      address: clientAddress(c, { trustForwardedFor: deps.trustForwardedFor }),
      account: c.req.param("id")?.slice(0, 200),
    };
    const admission = await admitAttempt(deps, subject, { requestId: c.get("requestId") });
    if (!admission.admitted) throw tooManyAttempts(admission.retryAfter);
    await countFailure(deps, subject);
    throw err;
  }
}

function bounded(sig: string | undefined): string {
  return sig === undefined || sig.length > MAX_SIG_LENGTH ? "" : sig;
}

/**
 * `/confirm/:id`: GET shows what a click will confirm and changes nothing (mail scanners and
 * link previews fetch every URL, some run scripts, so the page has none and never submits
 * itself); POST, sent only by the button, confirms once and shows a receipt.
 */
import { Hono } from "hono";
import { confirmLink, describeConfirmLink } from "../app/confirm.ts";
import { type HttpDeps, type HttpEnv, type HttpLogger, languageOf } from "./context.ts";
import { alreadyPage, confirmPage, receiptPage, sendPage } from "./pages.ts";

/** Longer than any signature (43 characters); a bound so a huge field is refused before any work. */
const MAX_SIG_LENGTH = 128;

export function confirmRoutes(deps: HttpDeps, logger: HttpLogger): Hono<HttpEnv> {
  const routes = new Hono<HttpEnv>();

  routes.get("/:id", async (c) => {
    const language = languageOf(c);
    const sig = bounded(c.req.query("sig"));
    const view = await describeConfirmLink(deps, c.req.param("id"), sig, deps.linkKey, { language });
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
    const outcome = await confirmLink(deps, c.req.param("id"), sig, deps.linkKey, { language, requestId });
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

function bounded(sig: string | undefined): string {
  return sig === undefined || sig.length > MAX_SIG_LENGTH ? "" : sig;
}

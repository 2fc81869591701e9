/**
 * `/mine/:id`: a leader's "Mine frister" page at their personal link. Like the confirm link, GET
 * only reads (mail scanners fetch every URL), and every change is a POST from a form on the page:
 * confirming a milestone (through the confirm use case, so exactly once, audited, waking the
 * loop), naming a deputy, ending one. Each POST checks the personal link again first.
 */
import { Hono } from "hono";
import { InvalidInputError } from "../app/admin-input.ts";
import { confirmLink, LinkRefusedError } from "../app/confirm.ts";
import { current, endDeputy, personActor, setDeputy } from "../app/deputies.ts";
import { dayIn } from "../app/deputy-routing.ts";
import { mineMilestones, verifiedPerson } from "../app/mine.ts";
import { verifyLink } from "../links/index.ts";
import { mineCalendar } from "../mail/mine-ics.ts";
import type { DeputyScope } from "../store/records.ts";
import { type HttpDeps, type HttpEnv, type HttpLogger, languageOf } from "./context.ts";
import { minePage } from "./mine-pages.ts";
import { mineStrings } from "./mine-strings.ts";
import { sendPage } from "./pages.ts";
import type { Language } from "./strings.ts";

const MAX_FIELD_LENGTH = 1024;
/** The page is not about one workflow: its dates are read where the municipality is. */
const TIMEZONE = "Europe/Copenhagen";

type Notice = { text: string; refused?: boolean };

export function mineRoutes(deps: HttpDeps, logger: HttpLogger): Hono<HttpEnv> {
  const routes = new Hono<HttpEnv>();

  const render = async (id: string, sig: string, personId: string, language: Language, notice?: Notice) => {
    const scope: DeputyScope = { kind: "person", personId };
    const [items, deputies] = await Promise.all([
      mineMilestones(deps, personId, deps.linkKey, language),
      deps.deputies.list(scope),
    ]);
    const today = dayIn(deps.clock.now(), TIMEZONE);
    return minePage({
      id,
      sig,
      items,
      deputies: current(deputies, today),
      language,
      ...(notice === undefined ? {} : { notice }),
    });
  };

  routes.get("/:id", async (c) => {
    const language = languageOf(c);
    const id = c.req.param("id");
    const sig = field(c.req.query("sig"));
    const personId = await verifiedPerson(deps, id, sig, deps.linkKey);
    const done = c.req.query("done");
    const s = mineStrings(language);
    const notice =
      done === "deputy-set"
        ? { text: s.deputySet }
        : done === "deputy-ended"
          ? { text: s.deputyEnded }
          : undefined;
    return sendPage(c, await render(id, sig, personId, language, notice));
  });

  routes.get("/:id/deadlines.ics", async (c) => {
    const personId = await verifiedPerson(deps, c.req.param("id"), field(c.req.query("sig")), deps.linkKey);
    const items = await mineMilestones(deps, personId, deps.linkKey, "da");
    c.header("Content-Type", "text/calendar; charset=utf-8");
    c.header("Content-Disposition", 'inline; filename="mine-frister.ics"');
    return c.body(mineCalendar(items, { organisation: deps.settings.organisation, now: deps.clock.now() }));
  });

  routes.post("/:id/confirm", async (c) => {
    const language = languageOf(c);
    const id = c.req.param("id");
    const form = await c.req.parseBody();
    const sig = field(form.sig);
    const personId = await verifiedPerson(deps, id, sig, deps.linkKey);
    const link = field(form.link);
    const linkSig = field(form.linkSig);
    // Only a button this person's page offered: its link was made for them.
    const verdict = verifyLink(link, linkSig, await deps.linkKey.getKey(), deps.clock.now());
    if (!verdict.ok) throw new LinkRefusedError(verdict.reason);
    if (verdict.claims.recipient !== `person:${personId}`) throw new LinkRefusedError("tampered");
    const requestId = c.get("requestId");
    const outcome = await confirmLink(deps, link, linkSig, deps.linkKey, {
      language,
      requestId,
      via: "mine",
    });
    if (outcome.status === "confirmed") {
      logger.info("milestone confirmed", {
        requestId,
        via: "mine",
        instanceId: outcome.view.instanceId,
        occurrenceKey: outcome.view.occurrenceKey,
        wake: outcome.wake.status,
      });
    }
    const notice = { text: mineStrings(language).confirmed(outcome.view.milestoneTitle) };
    return sendPage(c, await render(id, sig, personId, language, notice));
  });

  routes.post("/:id/deputies", async (c) => {
    const language = languageOf(c);
    const id = c.req.param("id");
    const form = await c.req.parseBody();
    const sig = field(form.sig);
    const personId = await verifiedPerson(deps, id, sig, deps.linkKey);
    const input = {
      name: field(form.name),
      email: field(form.email).trim(),
      from: field(form.from),
      to: field(form.to),
    };
    try {
      await setDeputy(deps, { kind: "person", personId }, input, personActor(personId));
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      const notice = { text: mineStrings(language).invalid, refused: true };
      return sendPage(c, await render(id, sig, personId, language, notice), 400);
    }
    return c.redirect(back(id, sig, language, "deputy-set"), 303);
  });

  routes.post("/:id/deputies/:deputyId/end", async (c) => {
    const language = languageOf(c);
    const id = c.req.param("id");
    const form = await c.req.parseBody();
    const sig = field(form.sig);
    const personId = await verifiedPerson(deps, id, sig, deps.linkKey);
    const today = dayIn(deps.clock.now(), TIMEZONE);
    await endDeputy(
      deps,
      { kind: "person", personId },
      c.req.param("deputyId"),
      today,
      personActor(personId),
    );
    return c.redirect(back(id, sig, language, "deputy-ended"), 303);
  });

  return routes;
}

/** The page again after a change (Post/Redirect/Get: a reload does not repeat the change). */
function back(id: string, sig: string, language: Language, done: string): string {
  return `/mine/${encodeURIComponent(id)}?${new URLSearchParams({ sig, lang: language, done }).toString()}`;
}

function field(value: unknown): string {
  return typeof value === "string" && value.length <= MAX_FIELD_LENGTH ? value : "";
}

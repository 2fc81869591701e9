/**
 * The accessibility statement (tilgængelighedserklæring): a public page at /tilgaengelighed, open
 * to anyone (a leader from a confirm page has no login), linked in the footer of every dashboard
 * page and from the confirm and Mine frister pages. Its words are strings/accessibility.ts; the
 * contact is the municipality's address (settings.replyTo) or says where to set it.
 *
 * Language: `?lang=` (the confirm pages link with theirs), else the language switch's cookie, else
 * the browser's Accept-Language, else Danish.
 */
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { html } from "../../html/html.ts";
import type { HttpDeps } from "../../http/context.ts";
import { LANGUAGE_COOKIE } from "../auth/session.ts";
import { type DashEnv, sendPage } from "../common/context.ts";
import { renderBarePage } from "../common/layout.ts";
import { visitorLanguage } from "../errors.ts";
import { COMPLAINT_URL } from "../strings/accessibility.ts";
import { type DashboardStrings, dashboardStrings, type Language } from "../strings.ts";

export const ACCESSIBILITY_PATH = "/tilgaengelighed";

export function accessibilityRoutes(deps: HttpDeps): Hono<DashEnv> {
  const routes = new Hono<DashEnv>();
  routes.get(ACCESSIBILITY_PATH, (c) => {
    const asked = c.req.query("lang");
    const language: Language =
      asked === "da" || asked === "en"
        ? asked
        : visitorLanguage(getCookie(c, LANGUAGE_COOKIE), c.req.header("accept-language"));
    const s = dashboardStrings(language);
    const { organisation, replyTo } = deps.settings;
    // The switch comes back without `?lang=`, which would win over the language it sets.
    return sendPage(
      c,
      renderBarePage(
        s,
        ACCESSIBILITY_PATH,
        s.accessibility.title,
        statementBody(s, organisation, replyTo),
        organisation,
      ),
    );
  });
  return routes;
}

/** The statement's sections, in the order of Digitaliseringsstyrelsen's template. */
export function statementBody(s: DashboardStrings, organisation: string, contact: string | undefined) {
  const a = s.accessibility;
  return html`<h1>${a.title}</h1>
<p class="lead">${a.intro(organisation)}</p>
<p>${a.scope}</p>
<h2>${a.statusTitle}</h2>
<p>${a.status}</p>
<h2>${a.inaccessibleTitle}</h2>
<ul>${a.inaccessible.map((line) => html`<li>${line}</li>`)}</ul>
<h2>${a.testedTitle}</h2>
<ul>${a.tested.map((line) => html`<li>${line}</li>`)}</ul>
<p>${a.testedHow}</p>
<h2>${a.feedbackTitle}</h2>
<p>${a.feedback(organisation)}</p>
${
  contact === undefined
    ? html`<p class="notice warn">${a.contactUnset}</p>`
    : html`<p><a href="mailto:${contact}">${contact}</a></p>`
}
<p>${a.sensitive}</p>
<h2>${a.complaintTitle}</h2>
<p>${a.complaint}</p>
<p><a href="${COMPLAINT_URL}" hreflang="da">${a.complaintLink}</a></p>
<h2>${a.dateTitle}</h2>
<p>${a.date}</p>`;
}

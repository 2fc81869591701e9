/** The API tokens pages: a list (one's own, or a user's for an administrator), the form, and the one showing of a new token. */
import { API_TOKEN_DAYS, apiTokenStatus } from "../../app/api-tokens.ts";
import { html, type SafeHtml } from "../../html/html.ts";
import type { ApiTokenRecord, UserRecord } from "../../store/records.ts";
import type { Temporal } from "../../time/temporal.ts";
import { DEFAULT_TIMEZONE, dateTime } from "../common/format.ts";
import { choice, errorSummary, type FieldErrors, fieldset, input } from "../common/forms.ts";
import { csrfField, type PageContext, renderPage } from "../common/layout.ts";

export interface TokenFields {
  name: string;
  days: string;
}

export const EMPTY_TOKEN_FIELDS: TokenFields = { name: "", days: "90" };

function tokenTable(
  ctx: PageContext,
  tokens: readonly ApiTokenRecord[],
  now: Temporal.Instant,
  revokePath: (token: ApiTokenRecord) => string,
): SafeHtml {
  const { s } = ctx;
  if (tokens.length === 0) return html`<p>${s.noTokens}</p>`;
  const rows = tokens.map((t) => {
    const expired = apiTokenStatus(t, now) === "expired";
    return html`<tr><th scope="row">${t.name}<br><span class="muted small"><code>${t.tokenId}</code></span></th><td data-label="${s.tokenCreatedAt}">${dateTime(t.createdAt, DEFAULT_TIMEZONE, s)}</td><td data-label="${s.tokenExpires}">${dateTime(t.validUntil, DEFAULT_TIMEZONE, s)}${expired && html` <strong>(${s.tokenExpired})</strong>`}</td><td data-label="${s.tokenLastUsed}">${t.lastUsedAt === undefined ? s.tokenNeverUsed : dateTime(t.lastUsedAt, DEFAULT_TIMEZONE, s)}</td><td><form method="post" action="${revokePath(t)}">${csrfField(ctx)}<button type="submit" class="secondary">${s.revokeToken}</button></form></td></tr>`;
  });
  return html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${s.tokenNameLabel}</th><th scope="col">${s.tokenCreatedAt}</th><th scope="col">${s.tokenExpires}</th><th scope="col">${s.tokenLastUsed}</th><th scope="col">${s.actions}</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

function tokenForm(ctx: PageContext, values: TokenFields, errors: FieldErrors): SafeHtml {
  const { s } = ctx;
  const days = API_TOKEN_DAYS.map((d) =>
    choice({
      type: "radio",
      name: "days",
      value: String(d),
      label: s.tokenDays(d),
      checked: values.days === String(d),
      idSuffix: String(d),
    }),
  );
  return html`<form method="post" action="/tokens" class="stack" novalidate>
${csrfField(ctx)}
${input({ name: "name", label: s.tokenNameLabel, value: values.name, required: true, autocomplete: "off", hint: s.tokenNameHint, error: errors.get("name") })}
${fieldset({ name: "days", legend: s.tokenDaysLabel, body: html`${days}`, error: errors.get("days") })}
<button type="submit">${s.createToken}</button>
</form>`;
}

/** A person's own tokens and the form; `person` false for the admin token's session, which has none. */
export function myTokensPage(
  ctx: PageContext,
  view: {
    person: boolean;
    tokens: readonly ApiTokenRecord[];
    now: Temporal.Instant;
    values: TokenFields;
    errors: FieldErrors;
    notice?: string | undefined;
  },
): string {
  const { s } = ctx;
  const labels = new Map([
    ["name", s.tokenNameLabel],
    ["days", s.tokenDaysLabel],
  ]);
  const body = view.person
    ? html`<h1>${s.tokensTitle}</h1>
<p class="lead">${s.tokensLead}</p>
${errorSummary(s, view.errors, labels)}
${tokenTable(ctx, view.tokens, view.now, (t) => `/tokens/${t.tokenId}/revoke`)}
${tokenForm(ctx, view.values, view.errors)}`
    : html`<h1>${s.tokensTitle}</h1><p class="notice warn">${s.tokensNeedPerson}</p>`;
  return renderPage(ctx, {
    title: s.tokensTitle,
    nav: "none",
    body,
    notice: view.notice === undefined ? undefined : { text: view.notice },
  });
}

/** The one time a token is shown: right after it was made, in the answer to the POST. */
export function newTokenPage(ctx: PageContext, token: string, record: ApiTokenRecord): string {
  const { s } = ctx;
  const body = html`<h1>${s.newTokenTitle}</h1>
<div class="ok" role="status"><h2>${record.name}</h2>
<p>${s.newTokenLead}</p>
<p><label for="new-token"><strong>${s.newTokenLabel}</strong></label><br>
<input id="new-token" type="text" readonly value="${token}" size="60" autocomplete="off" spellcheck="false"></p>
<p>${s.tokenExpires}: ${dateTime(record.validUntil, DEFAULT_TIMEZONE, s)}</p></div>
<p><a href="/tokens">← ${s.backToTokens}</a></p>`;
  return renderPage(ctx, { title: s.newTokenTitle, nav: "none", body });
}

/** An administrator's view of one user's tokens. */
export function userTokensPage(
  ctx: PageContext,
  user: UserRecord,
  tokens: readonly ApiTokenRecord[],
  now: Temporal.Instant,
  notice?: string,
): string {
  const { s } = ctx;
  const body = html`<p><a href="/users/${user.userId}">← ${user.name}</a></p>
<h1>${s.tokensOfTitle(user.name)}</h1>
<p class="lead">${s.tokensOfLead}</p>
${tokenTable(ctx, tokens, now, (t) => `/users/${user.userId}/tokens/${t.tokenId}/revoke`)}`;
  return renderPage(ctx, {
    title: s.tokensOfTitle(user.name),
    nav: "users",
    body,
    notice: notice === undefined ? undefined : { text: notice },
  });
}

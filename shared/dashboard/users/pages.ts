/** The users pages: the list, and the form that creates or changes one user. */
import { html, type SafeHtml } from "../../html/html.ts";
import { ROLES } from "../../model/people.ts";
import type { UserRecord } from "../../store/records.ts";
import { choice, errorSummary, type FieldErrors, fieldset, input } from "../common/forms.ts";
import { csrfField, type PageContext, renderPage } from "../common/layout.ts";

export interface UserFields {
  userId: string;
  name: string;
  email: string;
  roles: string[];
  active: boolean;
}

export function fieldsOfUser(user: UserRecord | null): UserFields {
  return user === null
    ? { userId: "", name: "", email: "", roles: ["viewer"], active: true }
    : {
        userId: user.userId,
        name: user.name,
        email: user.email,
        roles: [...user.roles],
        active: user.active,
      };
}

export function userListPage(ctx: PageContext, users: readonly UserRecord[], notice?: string): string {
  const { s } = ctx;
  const rows = users.map(
    (u) =>
      html`<tr><th scope="row"><a href="/users/${u.userId}">${u.name}</a><br><span class="muted small"><code>${u.userId}</code></span></th><td data-label="${s.userEmailLabel}">${u.email}</td><td data-label="${s.rolesLabel}">${
        u.roles.length === 0 ? s.noRoles : u.roles.map((r) => s.roleNames[r]).join(", ")
      }</td><td data-label="${s.activeLabel}">${u.active ? s.yes : html`<strong>${s.inactive}</strong>`}</td></tr>`,
  );
  const body = html`<h1>${s.usersTitle}</h1>
<p class="lead">${s.usersLead}</p>
<p class="actions"><a class="button" href="/users/_new">${s.newUser}</a></p>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${s.userNameLabel}</th><th scope="col">${s.userEmailLabel}</th><th scope="col">${s.rolesLabel}</th><th scope="col">${s.activeLabel}</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
  return renderPage(ctx, {
    title: s.usersTitle,
    nav: "users",
    body,
    notice: notice === undefined ? undefined : { text: notice },
  });
}

export function userFormPage(
  ctx: PageContext,
  view: {
    editing: UserRecord | null;
    values: UserFields;
    errors: FieldErrors;
    sessions?: number;
    /** The caseworker's grants, under the form (users/grants.ts). */
    grants?: SafeHtml;
  },
): string {
  const { s } = ctx;
  const { values, errors, editing } = view;
  const title = editing === null ? s.newUser : s.editUserTitle(editing.name);
  const action = editing === null ? "/users/_new" : `/users/${editing.userId}`;
  const labels = new Map([
    ["userId", s.userIdLabel],
    ["name", s.userNameLabel],
    ["email", s.userEmailLabel],
    ["roles", s.rolesLabel],
  ]);
  const roles = ROLES.map((role) =>
    choice({
      type: "checkbox",
      name: "roles",
      value: role,
      label: s.roleNames[role],
      hint: s.roleHints[role],
      checked: values.roles.includes(role),
      idSuffix: role,
    }),
  );
  const body = html`<p><a href="/users">← ${s.usersTitle}</a></p>
<h1>${title}</h1>
${errorSummary(s, errors, labels)}
<form method="post" action="${action}" class="stack" novalidate>
${csrfField(ctx)}
${
  editing === null
    ? input({
        name: "userId",
        label: s.userIdLabel,
        value: values.userId,
        required: true,
        hint: s.userIdHint,
        error: errors.get("userId"),
      })
    : html`<p><strong>${s.userIdLabel}:</strong> <code>${editing.userId}</code></p>`
}
${input({ name: "name", label: s.userNameLabel, value: values.name, required: true, autocomplete: "off", error: errors.get("name") })}
${input({ name: "email", label: s.userEmailLabel, type: "email", value: values.email, required: true, autocomplete: "off", error: errors.get("email") })}
${fieldset({ name: "roles", legend: s.rolesLabel, body: html`${roles}`, error: errors.get("roles") })}
${choice({ type: "checkbox", name: "active", value: "yes", label: s.activeLabel, checked: values.active, idSuffix: "yes" })}
<button type="submit">${s.saveUser}</button>
</form>
${
  editing !== null &&
  view.sessions !== undefined &&
  html`<h2>${s.sessionsLabel}: ${String(view.sessions)}</h2>
${view.sessions > 0 && html`<form method="post" action="/users/${editing.userId}/sessions/end">${csrfField(ctx)}<button type="submit" class="secondary">${s.endSessions}</button></form>`}
<p><a href="/users/${editing.userId}/tokens">${s.tokensOfUserLink}</a></p>`
}
${view.grants ?? ""}`;
  return renderPage(ctx, { title, nav: "users", body });
}

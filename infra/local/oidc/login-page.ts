/** The embedded provider's login form: Danish, or English for a browser that asks for it. */
import { html } from "../../../shared/html/html.ts";

const STRINGS = {
  da: {
    title: "Log ind (lokal udbyder)",
    lead: "Den lokale OpenID-udbyder står i stedet for kommunens (fx Entra ID). Brugerne står i users.json i datamappen.",
    login: "E-mail eller bruger-id",
    password: "Adgangskode",
    submit: "Log ind",
    wrong: "E-mail, bruger-id eller adgangskode er forkert.",
  },
  en: {
    title: "Log in (local provider)",
    lead: "The local OpenID provider stands in for the municipality's (such as Entra ID). The users are in users.json in the data folder.",
    login: "E-mail or user id",
    password: "Password",
    submit: "Log in",
    wrong: "The e-mail, user id or password is wrong.",
  },
};

export function providerLanguage(acceptLanguage: string | undefined): "da" | "en" {
  return /^\s*en\b/i.test(acceptLanguage ?? "") ? "en" : "da";
}

export function loginFormPage(options: {
  language: "da" | "en";
  action: string;
  login: string;
  wrong: boolean;
}): string {
  const s = STRINGS[options.language];
  return html`<!doctype html>
<html lang="${options.language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${s.title}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem">
<main>
<h1>${s.title}</h1>
<p>${s.lead}</p>
${options.wrong && html`<p role="alert" style="color:#8a1c1c"><strong>${s.wrong}</strong></p>`}
<form method="post" action="${options.action}">
<p><label for="login">${s.login}</label><br><input id="login" name="login" value="${options.login}" autocomplete="username" required style="width:100%"></p>
<p><label for="password">${s.password}</label><br><input id="password" name="password" type="password" autocomplete="current-password" required style="width:100%"></p>
<p><button type="submit">${s.submit}</button></p>
</form>
</main>
</body>
</html>
`.toString();
}

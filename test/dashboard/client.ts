/**
 * A tiny browser for the dashboard tests: it keeps cookies like a browser would (per name, for
 * this one host), does not follow redirects (tests look at them), and reads the CSRF token out
 * of the last page the way a form would carry it.
 */
import { ADMIN_TOKEN, type AppHarness } from "../http/app-harness.ts";

export interface Page {
  status: number;
  location: string | null;
  text: string;
  headers: Headers;
}

export class Client {
  readonly cookies = new Map<string, string>();
  csrf = "";

  /** `from`: the address a proxy says the browser has (X-Forwarded-For; for apps that trust it). */
  constructor(
    private readonly h: Pick<AppHarness, "url">,
    private readonly options: { from?: string } = {},
  ) {}

  private cookieHeader(): Record<string, string> {
    const from: Record<string, string> =
      this.options.from === undefined ? {} : { "x-forwarded-for": this.options.from };
    if (this.cookies.size === 0) return from;
    return { ...from, cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private async read(response: Response): Promise<Page> {
    this.remember(response);
    const text = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token !== undefined) this.csrf = token;
    return {
      status: response.status,
      location: response.headers.get("location"),
      text,
      headers: response.headers,
    };
  }

  async get(path: string): Promise<Page> {
    return this.read(
      await fetch(`${this.h.url}${path}`, { headers: this.cookieHeader(), redirect: "manual" }),
    );
  }

  /** Posts a form as a browser does; `_csrf` is this session's unless the fields say otherwise. */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    options: { csrf?: string | null } = {},
  ) {
    const body = new URLSearchParams();
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null) body.append("_csrf", csrf);
    for (const [name, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    return this.read(
      await fetch(`${this.h.url}${path}`, {
        method: "POST",
        headers: { ...this.cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
        body: body.toString(),
        redirect: "manual",
      }),
    );
  }

  /** A multipart form with one file, as a browser sends a file upload. */
  async upload(
    path: string,
    fields: Record<string, string>,
    file: { field: string; name: string; bytes: Uint8Array },
  ) {
    const form = new FormData();
    form.append("_csrf", this.csrf);
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append(file.field, new Blob([file.bytes]), file.name);
    return this.read(
      await fetch(`${this.h.url}${path}`, {
        method: "POST",
        headers: this.cookieHeader(),
        body: form,
        redirect: "manual",
      }),
    );
  }

  /** Opens the login form (for its cookie and token) and logs in; throws unless it worked. */
  async login(token = ADMIN_TOKEN): Promise<Page> {
    const form = await this.get("/login");
    const nonce = /name="_login" value="([^"]+)"/.exec(form.text)?.[1] ?? "";
    const page = await this.post("/login", { _login: nonce, token, next: "/" }, { csrf: null });
    if (page.status !== 303) throw new Error(`login failed: ${page.status}`);
    await this.get("/");
    return page;
  }
}

/** The text of a page without tags, whitespace folded: what a reader sees. */
export function visibleText(markup: string): string {
  return markup
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** The path and query of a Location (absolute for the provider's redirects, relative for ours). */
function pathOf(location: string, base: string): string {
  const url = new URL(location, base);
  return `${url.pathname}${url.search}`;
}

/**
 * Logs in through the embedded OpenID provider the way a browser does: fristflow's redirect, the
 * provider's authorization endpoint and login form (an HTTP form post), back to the callback.
 * Gives the callback's page; throws when a step answers something a browser could not follow.
 */
export async function loginThroughProvider(
  client: Client,
  base: string,
  login: string,
  password: string,
  next = "/",
): Promise<Page> {
  let page = await client.get(`/login/oidc?${new URLSearchParams({ next }).toString()}`);
  for (let hops = 0; hops < 10; hops += 1) {
    if (page.status === 303 || page.status === 302) {
      page = await client.get(pathOf(page.location ?? "", base));
      continue;
    }
    const form = /<form method="post" action="([^"]+)"/.exec(page.text);
    if (page.status === 200 && form?.[1]?.startsWith("/oidc/interaction/")) {
      page = await client.post(form[1], { login, password }, { csrf: null });
      if (page.status === 401) return page;
      continue;
    }
    return page;
  }
  throw new Error("the login did not come back from the provider");
}

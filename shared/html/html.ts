/**
 * A tiny HTML template helper. Every interpolated value is escaped unless it is itself the
 * result of `html`, so the only way to put markup on a page is to write it in a template: a
 * milestone title such as `<script>` always arrives as text.
 *
 * Pure and without imports, so the confirm pages, the dashboard and the mails (which must not
 * import the HTTP layer) all render through this one escaping rule.
 */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Markup built by `html`: safe to interpolate into another template without escaping again. */
export class SafeHtml {
  constructor(private readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/**
 * What a template accepts. `false`, `null` and `undefined` render as nothing, so a template can
 * say `${cond && html\`…\`}`; arrays render their items one after the other.
 */
export type Interpolation = SafeHtml | string | number | false | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === false || value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}

import { describe, expect, it } from "vitest";
import { escapeHtml, html, SafeHtml } from "../../shared/html/html.ts";

describe("escapeHtml", () => {
  it("escapes the five characters that matter in content and quoted attributes", () => {
    // Act / Assess
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
    expect(escapeHtml("Ærø – æøå")).toBe("Ærø – æøå");
  });
});

describe("html", () => {
  it("escapes every interpolated string, so markup in a value arrives as text", () => {
    // Act
    const out = html`<p title="${'"><script>'}">${"<script>alert(1)</script>"}</p>`.toString();

    // Assess
    expect(out).toBe('<p title="&quot;&gt;&lt;script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it("puts a nested template in as markup, escaped once", () => {
    // Prepare
    const inner = html`<b>${"a & b"}</b>`;

    // Act
    const out = html`<p>${inner}</p>`.toString();

    // Assess
    expect(out).toBe("<p><b>a &amp; b</b></p>");
  });

  it("renders false, null and undefined as nothing, numbers as text and arrays in order", () => {
    // Act
    const out = html`${false}|${null}|${undefined}|${0}|${[html`<i>1</i>`, "<2>", [3]]}`.toString();

    // Assess
    expect(out).toBe("|||0|<i>1</i>&lt;2&gt;3");
  });

  it("trusts only SafeHtml, not a string that looks like markup", () => {
    // Act / Assess
    expect(html`${new SafeHtml("<br>")}${"<br>"}`.toString()).toBe("<br>&lt;br&gt;");
  });
});

import { describe, expect, it } from "vitest";
import { barStart, renderGantt, wrapLabel } from "../../shared/dashboard/instances/gantt.ts";
import type { OccurrenceStatus } from "../../shared/timeline/decide.ts";

function occurrence(
  partial: Partial<OccurrenceStatus> & Pick<OccurrenceStatus, "key" | "status">,
): OccurrenceStatus {
  return {
    milestoneId: partial.key.split("/")[0] ?? "m",
    unitId: null,
    index: 0,
    confirmable: partial.status !== "period",
    dueAt: "2024-10-31T22:59:00Z",
    activatedAt: "2023-11-30T22:59:00Z",
    confirmedAt: null,
    ...partial,
  };
}

const base = { startAt: "2023-11-01T00:00:00Z", now: "2025-01-15T10:00:00Z", timezone: "Europe/Copenhagen" };

describe("renderGantt", () => {
  it("draws one row per occurrence with its status in words, not colour alone", () => {
    const svg = renderGantt({
      ...base,
      language: "da",
      rows: [
        {
          occurrence: occurrence({
            key: "plan/s1/0",
            status: "confirmed",
            confirmedAt: "2024-10-01T10:00:00Z",
          }),
          title: "Handleplan",
          unitName: "Skole 1",
        },
        {
          occurrence: occurrence({ key: "plan/s2/0", status: "overdue" }),
          title: "Handleplan",
          unitName: "Skole 2",
        },
      ],
    }).toString();

    expect(svg.match(/<g class="row /g)).toHaveLength(2);
    expect(svg).toContain("bekræftet");
    expect(svg).toContain("overskredet");
    expect(svg).toContain('role="img"');
    // The overdue row shows how late it is: a line from the deadline to today; the confirmed one does not.
    const row = (key: string) =>
      svg.split('<g class="row ').find((r) => r.includes(`data-occurrence="${key}"`)) ?? "";
    expect(row("plan/s2/0")).toContain('stroke-dasharray="2 2"');
    expect(row("plan/s1/0")).not.toContain('stroke-dasharray="2 2"');
  });

  it("escapes titles and unit names: a <script> title arrives as text", () => {
    const svg = renderGantt({
      ...base,
      language: "en",
      rows: [
        {
          occurrence: occurrence({ key: "x/-/0", status: "open" }),
          title: "<script>alert(1)</script>",
          unitName: 'A "unit" & co',
        },
      ],
    }).toString();

    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).toContain("&quot;unit&quot; &amp; co");
    expect(svg).toContain(">open<");
  });

  it("numbers repetitions of a recurring milestone and puts the today line between past and future", () => {
    const svg = renderGantt({
      ...base,
      language: "da",
      rows: [0, 1, 2].map((index) => ({
        occurrence: occurrence({
          key: `status/-/${index}`,
          status: "open",
          index,
          dueAt: `${2025 + index}-05-31T21:59:00Z`,
        }),
        title: "Årlig status",
        unitName: null,
      })),
    }).toString();

    expect(svg).toContain("Årlig status #1");
    expect(svg).toContain("Årlig status #3");
    const today = Number(svg.match(/<g class="today"><line x1="([\d.]+)"/)?.[1]);
    const yearLine = (year: string) =>
      Number(svg.match(new RegExp(`<line x1="([\\d.]+)"[^>]*/><text[^>]*>${year}<`))?.[1]);
    expect(today).toBeGreaterThan(yearLine("2025"));
    expect(today).toBeLessThan(yearLine("2026"));
  });

  it("starts a bar where the occurrence becomes active: its dependency's confirmation, the previous repetition's deadline, not before now while waiting", () => {
    const rows = [
      { key: "plan/-/0", activatedAt: "2024-03-01T10:00:00Z", index: 0, dueAt: "2024-06-01T21:59:00Z" },
      { key: "status/-/0", activatedAt: base.startAt, index: 0, dueAt: "2024-05-31T21:59:00Z" },
      { key: "status/-/1", activatedAt: base.startAt, index: 1, dueAt: "2025-05-31T21:59:00Z" },
      { key: "next/-/0", activatedAt: null, index: 0, dueAt: "2025-08-01T21:59:00Z" },
    ].map((o) => ({
      occurrence: occurrence({ ...o, status: o.activatedAt === null ? "waiting" : "open" }),
      title: o.key,
      unitName: null,
    }));

    expect(barStart(rows, 0, base.startAt, base.now)).toBe(Date.parse("2024-03-01T10:00:00Z"));
    expect(barStart(rows, 1, base.startAt, base.now)).toBe(Date.parse(base.startAt));
    expect(barStart(rows, 2, base.startAt, base.now)).toBe(Date.parse("2024-05-31T21:59:00Z"));
    expect(barStart(rows, 3, base.startAt, base.now)).toBe(Date.parse(base.now));
    // In the picture: the dependent bar starts right of the instance's first bar.
    const svg = renderGantt({ ...base, language: "da", rows }).toString();
    const rectX = (key: string) =>
      Number(svg.split(`data-occurrence="${key}"`)[1]?.match(/<rect x="([\d.]+)"/)?.[1]);
    expect(rectX("plan/-/0")).toBeGreaterThan(rectX("status/-/0"));
    expect(rectX("status/-/1")).toBeGreaterThan(rectX("plan/-/0"));
  });

  it("never cuts a name: long labels wrap in the picture and stand whole in the list", () => {
    const title = "Udarbejdelse af lokal handleplan for fællesskaber og trivsel i dagtilbuddet";
    const unitName = "Dagtilbuddet Solsikken og Mælkebøtten (integreret institution)";
    const svg = renderGantt({
      ...base,
      language: "da",
      rows: [{ occurrence: occurrence({ key: "plan/u/0", status: "open" }), title, unitName }],
    }).toString();

    expect(svg).not.toContain("…");
    const label = `${title} – ${unitName}`;
    const lines = wrapLabel(label, 48);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(" ")).toBe(label);
    for (const line of lines) expect(svg).toContain(`>${line}</tspan>`);
    expect(svg).toContain(`<span class="name">${label}</span>`);
  });
});

describe("wrapLabel", () => {
  it("breaks a word longer than a line into line-long pieces, keeping every letter", () => {
    const word = "Børne-og-Ungeforvaltningens-Specialpædagogiske-Rådgivningscenter";
    const lines = wrapLabel(`Statusrapport – ${word}`, 20);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(20);
    expect(lines.join("").replace(/\s/g, "")).toBe(`Statusrapport–${word}`);
    expect(lines[0]).toBe("Statusrapport –");
  });
});

import { describe, expect, it } from "vitest";
import { renderGantt } from "../../shared/dashboard/instances/gantt.ts";
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
});

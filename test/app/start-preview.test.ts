/**
 * The pure part of a start in the past (shared/app/start-preview.ts): when a start counts as in
 * the past (its date before today, in the workflow's timezone), when a choice is required, and
 * what each choice stores.
 */
import { describe, expect, it } from "vitest";
import { pastChoiceError, previewStart, quietUntilFor } from "../../shared/app/start-preview.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { resolveStart } from "../../shared/timeline/plan.ts";
import { workflow } from "../timeline/fixtures.ts";

const report = workflow(`
id: report
title: Rapport
milestones:
  - id: report
    title: Rapport
    owner: unit:forvaltning
    due: 2024-06-20
    reminders: [P14D, P3D]
`);

function trial(start: string) {
  return {
    instanceId: "preview",
    workflowId: "report",
    workflowVersion: 1,
    startAt: resolveStart(start, report.timezone).toString(),
    params: {},
    units: [],
    createdBy: "test",
  };
}

/** 1 June 2024, 10:00 in Copenhagen. */
const NOW = Temporal.Instant.from("2024-06-01T08:00:00Z");

describe("previewStart and the choice it asks for", () => {
  it("a start before today that mails nothing at once is in the past, but needs no choice", () => {
    // Act
    const preview = previewStart(report, trial("2024-05-20"), NOW);
    // Assess
    expect(preview).toMatchObject({ inPast: true, today: "2024-06-01", catchUp: [], choiceRequired: false });
    expect(pastChoiceError(preview, undefined, "<body>")).toBeUndefined();
    expect(quietUntilFor(preview, "history")).toBe(NOW.toString());
    expect(quietUntilFor(preview, "catch-up")).toBeUndefined();
  });

  it("a start before today that mails at once needs a choice; history sends nothing of it", () => {
    // Act: by 12 June the P14D reminder (6 June) is due
    const now = Temporal.Instant.from("2024-06-12T08:00:00Z");
    const preview = previewStart(report, trial("2024-05-20"), now);
    // Assess
    expect(preview.catchUp.map((m) => [m.kind, m.recipient])).toEqual([
      ["reminder", "unitLeader:forvaltning"],
    ]);
    expect(preview.history).toEqual([]);
    expect(preview.choiceRequired).toBe(true);
    expect(pastChoiceError(preview, undefined, "<body>")).toMatchObject({
      path: "past",
      message: expect.stringContaining("would send 1 mail at once"),
    });
    expect(pastChoiceError(preview, "catch-up", "<body>")).toBeUndefined();
  });

  it("a start earlier today is not in the past: no choice, and `past` is refused at its path", () => {
    // Act: started at 07:00 today; the P14D reminder (08:00 today) is due now, at 10:00
    const preview = previewStart(
      report,
      trial("2024-06-06T07:00"),
      Temporal.Instant.from("2024-06-06T08:00:00Z"),
    );
    // Assess
    expect(preview.inPast).toBe(false);
    expect(preview.catchUp.length).toBeGreaterThan(0);
    expect(preview.choiceRequired).toBe(false);
    expect(pastChoiceError(preview, undefined, "<body>")).toBeUndefined();
    expect(pastChoiceError(preview, "history", "<body>")).toMatchObject({
      path: "past",
      message: expect.stringContaining("only to a start before today (2024-06-06)"),
    });
    expect(quietUntilFor(preview, "history")).toBeUndefined();
  });
});

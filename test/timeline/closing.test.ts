/**
 * Which open occurrence, once confirmed, finishes the instance (shared/timeline/closing.ts): the
 * step marks it so the confirmation ends the loop itself. Wrong here means a case left running
 * after its last confirmation, or worse, finished while something was still to do.
 */
import { describe, expect, it } from "vitest";
import type { Workflow } from "../../shared/model/schema.ts";
import { Temporal } from "../../shared/time/temporal.ts";
import { closingOccurrence } from "../../shared/timeline/closing.ts";
import { decide, occurrenceStatus } from "../../shared/timeline/decide.ts";
import type { InstanceState } from "../../shared/timeline/types.ts";
import { initialState, local, workflow } from "./fixtures.ts";

const single = workflow(`
id: single
title: Enkelt
milestones:
  - id: report
    title: Rapport
    owner: unit:forvaltning
    due: 2024-11-04
    reminders: [P14D, P3D, P0D]
`);

const pair = workflow(`
id: pair
title: Par
milestones:
  - id: first
    title: Først
    owner: unit:forvaltning
    due: 2024-11-04
  - id: second
    title: Dernæst
    owner: unit:forvaltning
    due: 2024-12-04
`);

const chain = workflow(`
id: chain
title: Kæde
milestones:
  - id: adoption
    title: Vedtagelse
    owner: unit:forvaltning
    due: 2024-11-04
  - id: follow
    title: Opfølgning
    owner: unit:forvaltning
    after: [adoption]
    due: { in: P1M, from: adoption }
`);

const yearly = workflow(`
id: yearly
title: Årlig
milestones:
  - id: status
    title: Årlig status
    owner: unit:forvaltning
    due: 2024-11-04
    recurrence: { every: P1Y, count: 3 }
`);

function confirmed(state: InstanceState, occurrenceKey: string, at: string): InstanceState {
  return { ...state, confirmations: [...state.confirmations, { occurrenceKey, at }] };
}

function closer(definition: Workflow, state: InstanceState, at: string): string | null {
  const now = Temporal.Instant.from(at);
  return closingOccurrence(definition, state, now, {
    decision: decide(definition, state, now),
    statuses: occurrenceStatus(definition, state, now),
  });
}

describe("closingOccurrence", () => {
  it("marks the only milestone of a single-deadline case from its start", () => {
    const state = initialState(single, "2024-10-01");

    expect(closer(single, state, local("2024-10-01T00:00"))).toBe("report/-/0");
    expect(closer(single, state, local("2024-11-10T09:00"))).toBe("report/-/0"); // overdue still closes
  });

  it("marks nothing while two are open, then the one left", () => {
    const state = initialState(pair, "2024-10-01");

    expect(closer(pair, state, local("2024-10-01T00:00"))).toBeNull();
    const oneDone = confirmed(state, "first/-/0", local("2024-11-01T10:00"));
    expect(closer(pair, oneDone, local("2024-11-01T10:00"))).toBe("second/-/0");
  });

  it("never marks a milestone another waits for", () => {
    const state = initialState(chain, "2024-10-01");

    expect(closer(chain, state, local("2024-10-01T00:00"))).toBeNull();
    const adopted = confirmed(state, "adoption/-/0", local("2024-11-01T10:00"));
    expect(closer(chain, adopted, local("2024-11-01T10:00"))).toBe("follow/-/0");
  });

  it("marks no occurrence of a recurrence while later ones are to come, only the last", () => {
    const state = initialState(yearly, "2024-10-01");

    expect(closer(yearly, state, local("2024-10-01T00:00"))).toBeNull();
    const twoDone = confirmed(
      confirmed(state, "status/-/0", local("2024-11-01T10:00")),
      "status/-/1",
      local("2025-11-01T10:00"),
    );
    // A year on, in an execution of its own (continue-as-new marks nothing: the next one decides).
    const later = { ...twoDone, execution: { startedAt: local("2025-10-01T00:00"), loops: 1 } };
    expect(closer(yearly, twoDone, local("2025-11-01T10:00"))).toBeNull();
    expect(closer(yearly, later, local("2025-11-01T10:00"))).toBe("status/-/2");
  });

  it("marks nothing on hold, when cancelled or when done", () => {
    const state = initialState(single, "2024-10-01");
    const at = local("2024-10-02T00:00");

    expect(closer(single, { ...state, hold: { since: at } }, at)).toBeNull();
    expect(closer(single, { ...state, cancelledAt: at }, at)).toBeNull();
    expect(closer(single, confirmed(state, "report/-/0", at), at)).toBeNull();
  });
});

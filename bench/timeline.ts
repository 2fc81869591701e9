/**
 * Timeline benchmark: plan() and a full simulated decide() run of the Ishøj template with 19
 * units. Machines here are shared and noisy, so each figure is also given as a ratio against a
 * baseline measured in the same run: the raw Temporal arithmetic the plan needs (one zoned add
 * per scheduled instant), which is the floor any correct planner pays.
 */
import { loadUnitsFile, loadWorkflowFile } from "../infra/cli/files.ts";
import { createBusinessCalendar } from "../shared/time/calendar.ts";
import { Temporal } from "../shared/time/temporal.ts";
import { plan, resolveStart } from "../shared/timeline/plan.ts";
import { simulate } from "../shared/timeline/simulate.ts";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function time(runs: number, fn: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

export async function timelineBench(): Promise<Record<string, number>> {
  const w = await loadWorkflowFile("workflows/ishoj-staerke-faellesskaber.yaml");
  const u = await loadUnitsFile("workflows/samples/ishoj-units.yaml");
  if (!w.ok || !u.ok) throw new Error("the Ishøj template and sample units must load");
  const def = w.value;
  const units = u.value.map((x) => ({ id: x.id, type: x.type, name: x.name }));
  const fanOutUnits = units.filter((x) => x.type === "daycare" || x.type === "school").length;

  const p = plan(def, "2023-11-01", {}, units);
  const notifications = p.occurrences.flatMap((o) => o.notifications);
  const count = (kind: string) => notifications.filter((n) => n.kind === kind).length;

  // Baseline: one zoned-date addition and instant conversion per scheduled instant.
  const start = Temporal.Instant.from(p.startAt).toZonedDateTimeISO(def.timezone);
  const instants = notifications.length + p.occurrences.length;
  const baselineMs = time(30, () => {
    for (let i = 0; i < instants; i++)
      start
        .add({ days: i % 400 })
        .toInstant()
        .toString();
  });
  // A fresh definition object each run so plan() cannot reuse the memo of a previous run.
  const planColdMs = time(15, () => plan(structuredClone(def), "2023-11-01", {}, units));
  const planWarmMs = time(30, () => plan(def, "2023-11-01", {}, units));

  const startAt = resolveStart("2023-11-01", def.timezone).toString();
  let steps = 0;
  let executions = 0;
  let sent = 0;
  const simulationMs = time(5, () => {
    const result = simulate(
      structuredClone(def),
      {
        instanceId: "bench",
        startAt,
        params: {},
        units,
        confirmations: [],
        sent: [],
        dueOverrides: {},
        execution: { startedAt: startAt, loops: 0 },
      },
      {
        // Everyone confirms two days before the deadline, except one daycare that never does.
        confirmAt: (o) =>
          o.unitId === "dagplejen" || !o.dueAt
            ? null
            : Temporal.Instant.from(o.dueAt).subtract({ hours: 48 }),
        until: Temporal.Instant.from("2028-06-01T00:00:00Z"),
      },
    );
    steps = result.steps;
    executions = result.executions;
    sent = result.sent.length;
  });

  // The planner's working-day arithmetic: 20,000 calls with n up to 1,000 (a test asserted "under a
  // second" until speed moved here), against as many plain calendar-day additions.
  const calendar = createBusinessCalendar({ holidays: "DK", closingDays: ["12-24", "06-05"] });
  const days = Array.from({ length: 200 }, (_, i) =>
    Temporal.PlainDate.from("2023-01-01").add({ days: i * 9 }),
  );
  calendar.addWorkingDays(days[0] ?? Temporal.PlainDate.from("2023-01-01"), 1000); // warm the year tables
  const workingDays = (add: (d: Temporal.PlainDate, n: number) => Temporal.PlainDate) => () => {
    for (let k = 0; k < 100; k++) for (const d of days) add(d, (k * 37) % 1001).toString();
  };
  const calendarDaysMs = time(
    5,
    workingDays((d, n) => d.add({ days: n })),
  );
  const workingDaysMs = time(
    5,
    workingDays((d, n) => calendar.addWorkingDays(d, n)),
  );

  const figures = {
    units: fanOutUnits,
    occurrences: p.occurrences.length,
    plannedNotifications: notifications.length,
    plannedReminders: count("reminder"),
    plannedActivations: count("activated"),
    possibleEscalations: count("escalation"),
    baselineMs,
    planColdMs,
    planWarmMs,
    simulationMs,
    simulationDecideCalls: steps,
    simulationExecutions: executions,
    simulationSent: sent,
    calendarDaysMs,
    workingDaysMs,
  };
  console.log("\n== Timeline: Ishøj 'Stærke fællesskaber', start 2023-11-01 ==");
  console.log(`fan-out units (daycares + schools):  ${fanOutUnits}`);
  console.log(`milestone occurrences:               ${p.occurrences.length}`);
  console.log(
    `planned notifications:               ${notifications.length} (${count("reminder")} reminders, ${count("activated")} activations, ${count("escalation")} escalations if every deadline were missed)`,
  );
  console.log(`baseline: ${instants} zoned adds     ${baselineMs.toFixed(2)} ms`);
  console.log(
    `plan() cold                          ${planColdMs.toFixed(2)} ms  (${(planColdMs / baselineMs).toFixed(1)}x baseline)`,
  );
  console.log(
    `plan() warm (memoized)               ${planWarmMs.toFixed(2)} ms  (${(planWarmMs / baselineMs).toFixed(1)}x baseline)`,
  );
  console.log(
    `simulated run 2023-11 to 2028-06     ${simulationMs.toFixed(1)} ms  (${(simulationMs / planColdMs).toFixed(1)}x a cold plan; ${steps} decide() calls, ${executions} executions, ${sent} mails; one daycare never confirms)`,
  );
  console.log(
    `20,000 addWorkingDays (n <= 1,000)   ${workingDaysMs.toFixed(1)} ms  (${(workingDaysMs / calendarDaysMs).toFixed(1)}x as many plain day additions: ${calendarDaysMs.toFixed(1)} ms)`,
  );
  return figures;
}

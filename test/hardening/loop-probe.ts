/**
 * How long the event loop was held while a request ran: a 5 ms interval timer notes the longest
 * gap between its ticks. The HTTP app runs in the test's own process (test/http/app-harness.ts), so
 * a parse, a plan or a regular expression that holds the loop shows up here.
 *
 * On a shared machine a gap can also be the operating system not running the process at all
 * (two cores, other engineers' test runs); that is not the input's doing. So each gap is also
 * counted in the CPU time the process used during it: a gap our code caused is CPU spent, a gap
 * the scheduler caused is not. `blockedMs` is the smaller of the two (what held the loop and was
 * work), `gapMs` the raw wall-clock gap, reported alongside.
 */
import { performance } from "node:perf_hooks";

const TICK_MS = 5;

export interface Measured<T> {
  result: T;
  /** The longest gap between ticks that was CPU work of this process, in ms. */
  blockedMs: number;
  /** The longest gap between ticks in wall-clock time, in ms (includes time not scheduled). */
  gapMs: number;
}

export interface Probe {
  measure<T>(work: () => Promise<T>): Promise<Measured<T>>;
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

export function loopProbe(): Probe {
  return {
    async measure(work) {
      let last = performance.now();
      let lastCpu = cpuMs();
      let blocked = 0;
      let gap = 0;
      const note = (): void => {
        const now = performance.now();
        const cpu = cpuMs();
        const wall = now - last - TICK_MS;
        gap = Math.max(gap, wall);
        blocked = Math.max(blocked, Math.min(wall, cpu - lastCpu));
        last = now;
        lastCpu = cpu;
      };
      const timer = setInterval(note, TICK_MS);
      try {
        const result = await work();
        // The gap up to the end counts too (a block at the very end has no tick after it).
        note();
        return { result, blockedMs: Math.max(0, blocked), gapMs: Math.max(0, gap) };
      } finally {
        clearInterval(timer);
      }
    },
  };
}

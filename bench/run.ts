/**
 * `npm run bench`: benchmarks, not tests. Each prints its figures and ratios against a baseline
 * measured in the same run, and the machine they ran on.
 */
import { cpus, totalmem } from "node:os";
import { timelineBench } from "./timeline.ts";

console.log(
  `machine: ${cpus()[0]?.model ?? "unknown cpu"} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
);
await timelineBench();

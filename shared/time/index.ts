export * from "./arithmetic.ts";
export * from "./calendar.ts";
export * from "./clock.ts";
export * from "./duration.ts";
export * from "./temporal.ts";

/** The workflow model: schema, loaders, validation and the checks shared by every entry point. */
export * from "./cpr.ts";
export * from "./errors.ts";
export * from "./load.ts";
export * from "./params.ts";
export * from "./schema.ts";
export * from "./validate.ts";

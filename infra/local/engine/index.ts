/** The local Step Functions engine: what the local stack and the tests import. */
export {
  createEngine,
  type Engine,
  type EngineEvent,
  type EngineHooks,
  type EngineOptions,
  type EngineStats,
  type ExecutionDescription,
  executionNameFor,
  type FunctionRegistry,
  isoMillis,
  type RunOptions,
  type RunResult,
} from "./engine.ts";
export {
  DefinitionError,
  EngineError,
  EngineStoppedError,
  ExecutionAlreadyExistsError,
  ExecutionOwnershipLostError,
  StatesError,
  StatesErrors,
} from "./errors.ts";
export type { Json } from "./jsonpath.ts";
export { type JumpingClock, SkippingClock } from "./skipping-clock.ts";

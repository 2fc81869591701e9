/**
 * What use cases may log: a message and ids. A port rather than Powertools itself, so use cases
 * run in tests and in the local engine without a Lambda context; Powertools' Logger satisfies it.
 * Attributes carry ids only (instance, notification key, recipient ref), never an address or name.
 */
export interface Log {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

export const silentLog: Log = {
  info: () => {},
  warn: () => {},
};

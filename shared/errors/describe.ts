/**
 * Errors as text that is safe for logs, audit entries and Step Functions' execution history:
 * addresses and CPR-shaped numbers masked (an SMTP or SES message often quotes the recipient),
 * whitespace folded, the length cut, never a stack.
 */
const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+/g;
/** Ten digits with an optional dash after six: the shape of a CPR number (and of nothing we need to log). */
const CPR_LIKE = /\b\d{6}-?\d{4}\b/g;

export function redact(text: string, max = 300): string {
  const masked = text.replace(EMAIL, "<address>").replace(CPR_LIKE, "<number>").replace(/\s+/g, " ").trim();
  return masked.length > max ? `${masked.slice(0, max - 1)}…` : masked;
}

/** `Name: message`, redacted; never a stack. */
export function describeError(err: unknown, max = 300): string {
  if (err instanceof Error) return redact(`${err.name}: ${err.message}`, max);
  return redact(String(err), max);
}

/** The error's name for audit entries and logs (`Error` when it has none). */
export function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

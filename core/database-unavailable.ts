// Whether an error means "the database cannot be reached right now" rather than "this request was wrong":
// the one test behind every 503 (pages, API, jobs' logging). Drivers differ: postgres.js (the app),
// node-postgres (pg-boss, the Socket.IO adapter) and drizzle, which wraps the driver's error as `cause`.

/** Socket and driver codes for a connection that failed, dropped or timed out. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  // postgres.js
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/**
 * SQLSTATEs: class 08 (connection exception), 57P01–57P03 (the server is shutting down, crashed or is
 * starting), 53300 (too many connections) and 57014 (statement_timeout cancelled the statement).
 */
const SQLSTATES = /^(08[0-9A-Z]{3}|57P0[1-3]|53300|57014)$/;

/** node-postgres says it in words only. */
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection due to administrator command/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailableReason(error) !== null;
}

/** The code (or driver message) that shows the database is unreachable, found through wrappers; null if none. */
export function unavailableReason(error: unknown, depth = 0): string | null {
  if (error === null || typeof error !== "object" || depth > 5) return null;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && (CONNECTION_CODES.has(code) || SQLSTATES.test(code))) return code;
  if (typeof message === "string" && MESSAGES.test(message)) return message;
  // AggregateError: every address of "localhost" refused.
  for (const inner of Array.isArray(errors) ? errors : []) {
    const reason = unavailableReason(inner, depth + 1);
    if (reason) return reason;
  }
  return unavailableReason(cause, depth + 1);
}

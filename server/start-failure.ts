import { StartupError } from "../db/embedded-layout.ts";
import { isDatabaseUnavailable } from "../core/database-unavailable.ts";

/**
 * What `npm start` prints when it cannot start: what failed and what to do, for any thrown value (the
 * libraries below may throw strings, undefined or driver errors). Never a bare `undefined`.
 */
export function describeStartFailure(error: unknown, context: { port: number; databaseUrl: string | undefined }): string {
  const [what, todo] = explain(error, context);
  return `The platform could not start.\n${what}\nWhat to do: ${todo}`;
}

function explain(error: unknown, { port, databaseUrl }: { port: number; databaseUrl: string | undefined }): [string, string] {
  if (error instanceof StartupError) return [error.message, error.hint];
  if (!(error instanceof Error)) return [`Something failed without saying what (${String(error)}).`, "Start again; if it fails the same way, run with LOG_LEVEL=debug and report the output."];
  const code = (error as NodeJS.ErrnoException).code;
  if (error.message.startsWith("Invalid configuration")) return [error.message, "Correct the environment variables named above (README, “Configuration”)."];
  if (code === "EADDRINUSE") return [`Port ${port} is already in use (${error.message}).`, "Stop the program using it, or set PORT to a free port."];
  if (code === "EACCES" && /listen/i.test(error.message)) return [`Not allowed to listen on port ${port}.`, "Set PORT to a port above 1023, or run with the right to bind it."];
  if (databaseUrl && isDatabaseUnavailable(error)) {
    return [`Could not reach the database at ${where(databaseUrl)} (${code ?? error.message}).`, "Check that PostgreSQL is running and that DATABASE_URL names the right host and port; unset DATABASE_URL to use the embedded database."];
  }
  if (databaseUrl && (code === "28P01" || code === "28000" || code === "3D000")) {
    return [`The database at ${where(databaseUrl)} refused the connection: ${error.message}.`, "Check the user, password and database name in DATABASE_URL."];
  }
  return [error.message || error.name, "See the log lines above; if it persists, report this message with them."];
}

/** host:port/database of a connection string, without the password. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}

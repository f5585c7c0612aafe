import { createHash } from "node:crypto";
import path from "node:path";

// Pure decisions about the embedded PostgreSQL: where its files go, what its lock file says, and what a
// person should do when it does not start. The process work is in db/embedded.ts.

/** Where the cluster's data and binaries live for this run. */
export interface EmbeddedLayout {
  dataDir: string;
  binDir: string;
  /** Set when the data had to move: the directory the user asked for, for the log line that says so. */
  movedFrom: string | null;
  /** Set when the binaries are copied out of a checkout the server's user cannot enter. */
  copyBinariesFrom: string | null;
}

export interface LayoutInput {
  /** The data directory asked for (DATA_DIR/postgres), absolute. */
  dataDir: string;
  /** The package's binaries (…/native/bin), absolute. */
  binDir: string;
  /** PostgreSQL refuses to run as root; it then runs as the `postgres` system user, who may not reach a root-only checkout. */
  asRoot: boolean;
  /** Whether the server's user can reach a path (search every directory above it). Only asked when asRoot. */
  reachable(target: string): boolean;
  /** A place the `postgres` user reaches and root may write, e.g. /var/lib/judicial-auction. */
  stateDir: string;
  /** The binaries' version, so a copy is made again after an upgrade. */
  version: string;
}

/**
 * A checkout under /root (mode 700) is out of the `postgres` user's reach, both its data directory and
 * the binaries in node_modules. Then the data goes to stateDir, keyed by the path asked for (two
 * checkouts never share a cluster, and the same checkout finds its cluster again), and the binaries are
 * copied there once per version.
 */
export function embeddedLayout(input: LayoutInput): EmbeddedLayout {
  const layout: EmbeddedLayout = { dataDir: input.dataDir, binDir: input.binDir, movedFrom: null, copyBinariesFrom: null };
  if (!input.asRoot) return layout;
  if (!input.reachable(path.dirname(input.dataDir))) {
    const key = createHash("sha256").update(input.dataDir).digest("hex").slice(0, 16);
    layout.dataDir = path.join(input.stateDir, `postgres-${key}`);
    layout.movedFrom = input.dataDir;
  }
  if (!input.reachable(path.join(input.binDir, "postgres"))) {
    layout.binDir = path.join(input.stateDir, `postgres-${input.version}`, "bin");
    layout.copyBinariesFrom = path.dirname(input.binDir);
  }
  return layout;
}

/** The fields of postmaster.pid we use (PostgreSQL writes one per line: pid, data directory, start time, port, …). */
export function readLockFile(text: string): { pid: number; dataDir: string } | null {
  const [pidLine, dataDir] = text.split("\n");
  const pid = Number(pidLine);
  return Number.isInteger(pid) && pid > 0 && dataDir ? { pid, dataDir } : null;
}

/** Whether a process's command line is a postmaster serving `dataDir` (ours: `postgres -D <dataDir> …`). */
export function isPostmasterOf(commandLine: readonly string[], dataDir: string): boolean {
  const d = commandLine.indexOf("-D");
  return path.basename(commandLine[0] ?? "") === "postgres" && d >= 0 && path.resolve(commandLine[d + 1] ?? "") === path.resolve(dataDir);
}

/** A start failure that says what failed and what to do; `npm start` prints its message and exits. */
export class StartupError extends Error {
  readonly hint: string;

  constructor(message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StartupError";
    this.hint = hint;
  }
}

/** What the embedded server's own last words mean for the person starting it. */
export function explainPostgresExit(output: string, port: number, dataDir: string): StartupError {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /FATAL|PANIC|ERROR|could not|permission denied/i.test(l));
  const said = lines.slice(-3).join("\n  ") || "(no message)";
  const message = `The embedded PostgreSQL stopped while starting:\n  ${said}`;
  if (/could not bind|address already in use/i.test(output)) {
    return new StartupError(message, `Port ${port} is taken by another program. Set EMBEDDED_PG_PORT to a free port, or stop the other server.`);
  }
  if (/lock file .* already exists|another postmaster/i.test(output)) {
    return new StartupError(message, `Another PostgreSQL is using ${dataDir}. Stop it (or the other copy of this app), then start again.`);
  }
  if (/permission denied/i.test(output)) {
    return new StartupError(
      message,
      `PostgreSQL cannot read or write ${dataDir}. Give its user access to that directory, set DATA_DIR to a directory it can use, or set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  return new StartupError(message, `Look at the lines above. To start from an empty demo database, stop the app and delete ${dataDir}; or set DATABASE_URL to use your own PostgreSQL.`);
}

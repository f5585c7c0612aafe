import pg from "pg";
import { createAdapter } from "@socket.io/postgres-adapter";
import type { ServerOptions } from "socket.io";
import type { Logger } from "pino";

export type LiveAdapterMode = "none" | "postgres";

export interface LiveAdapter {
  /** For Socket.IO's `adapter` option; null keeps the default in-memory adapter (one node). */
  factory: ServerOptions["adapter"] | null;
  /** Ends the adapter's own connections; call after the Socket.IO server has closed. */
  close(): Promise<void>;
}

/** Broadcasts too large for a NOTIFY payload (8000 bytes) travel through this table (ADR 008). */
export const ATTACHMENTS_TABLE = "socket_io_attachments";

const none: LiveAdapter = { factory: null, close: async () => {} };

/**
 * How Socket.IO nodes share lot rooms. "postgres": every node LISTENs on the application database
 * and a broadcast to a room reaches that room's sockets on every node (ADR 008).
 */
export async function createLiveAdapter(mode: LiveAdapterMode, databaseUrl: string, log: Logger): Promise<LiveAdapter> {
  if (mode === "none") return none;
  // One connection stays checked out for LISTEN; the others publish and fetch attachments.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, application_name: "socket.io-adapter" });
  let closed = false;
  // An idle client that dies (database restart) must not crash the process; the adapter reconnects by itself.
  pool.on("error", (error) => {
    if (!closed) log.warn({ err: error }, "live adapter: idle connection failed");
  });
  try {
    await ensureAttachmentsTable(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const factory = createAdapter(pool, {
    tableName: ATTACHMENTS_TABLE,
    errorHandler: (error) => {
      if (!closed) log.warn({ err: error }, "live adapter: publish or receive failed");
    },
  });
  return {
    factory,
    async close() {
      if (closed) return;
      closed = true;
      // io.close() has closed the adapters (their last "closing" notice may still be in flight).
      await Promise.race([pool.end(), new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
    },
  };
}

/**
 * The adapter's table belongs to the adapter, not to the domain schema: it is created here, once,
 * under an advisory lock so nodes starting together do not race on CREATE TABLE.
 */
async function ensureAttachmentsTable(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(4242008)");
    await client.query(`CREATE TABLE IF NOT EXISTS ${ATTACHMENTS_TABLE} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

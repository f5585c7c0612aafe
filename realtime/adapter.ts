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
export async function createLiveAdapter(
  mode: LiveAdapterMode,
  databaseUrl: string,
  log: Logger,
  /** Folds "database unreachable" errors into one outage log line (server/outage.ts); true when it did. */
  reportOutage: (error: unknown) => boolean = () => false,
): Promise<LiveAdapter> {
  if (mode === "none") return none;
  // One connection stays checked out for LISTEN; the others publish and fetch attachments.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, application_name: "socket.io-adapter" });
  let closed = false;
  // An idle client that dies (database restart) must not crash the process; the adapter reconnects by itself.
  pool.on("error", (error) => {
    if (!closed && !reportOutage(error)) log.warn({ err: error }, "live adapter: idle connection failed");
  });
  try {
    await ensureAttachmentsTable(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const base = createAdapter(orderedListenPool(pool), {
    tableName: ATTACHMENTS_TABLE,
    errorHandler: (error) => {
      if (!closed && !reportOutage(error)) log.warn({ err: error }, "live adapter: publish or receive failed");
    },
  });
  const ordered = new WeakSet<object>();
  // Socket.IO calls the factory with `new`: a plain function (not an arrow) that returns the adapter.
  const factory = function (nsp: unknown) {
    const adapter = base(nsp);
    // One pub/sub client serves every namespace of this factory: order its publishes once.
    const client = (adapter as unknown as { client: PubSub }).client;
    if (!ordered.has(client)) {
      ordered.add(client);
      orderPublishes(client);
    }
    return adapter;
  };
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

/*
 * Order. Stock @socket.io/postgres-adapter 0.5.0 does not keep a node's broadcasts in order: it publishes
 * on whichever pooled connection is free (concurrent NOTIFYs commit in any order), a broadcast over
 * 8000 bytes takes two round trips (INSERT, then NOTIFY) while a small one sent after it takes one, and
 * the receiver fetches an attachment before handing it on while later small messages go straight
 * through. Measured: 30 broadcasts alternating big and small arrived as 1,2,4,5,…,0,3,9,6,… So the
 * final tick of bids could reach the other nodes after lot:closed. The two wrappers below restore
 * "each node's broadcasts to a room arrive everywhere in the order it sent them" (ADR 008); they rely
 * on the adapter's internals, which is why its version is pinned and tests/realtime/multinode.test.ts
 * checks the order.
 */

interface PubSub {
  publish(message: { nsp?: string; data?: { opts?: { rooms?: unknown } } }): Promise<void>;
}

/**
 * The publishes a lot's order depends on share one queue: those to the same rooms, where a lot's room
 * and its shard rooms (realtime/fanout.ts) count as one, so a lot's messages reach the other nodes
 * in the order this node sent them, whichever of its rooms each went to.
 */
export function publishQueueKey(nsp: string | undefined, rooms: unknown): string {
  const names = Array.isArray(rooms) ? [...new Set(rooms.map((r) => (typeof r === "string" ? r.replace(/^(lot:.*)~\d+$/, "$1") : String(r))))].sort() : rooms;
  return `${nsp ?? ""}|${JSON.stringify(names ?? null)}`;
}

/** Publishes to the same rooms one after another (each waits for the previous NOTIFY); other rooms run in parallel. */
function orderPublishes(client: PubSub): void {
  const publish = client.publish.bind(client);
  const tails = new Map<string, Promise<void>>();
  client.publish = (message) => {
    const key = publishQueueKey(message.nsp, message.data?.opts?.rooms);
    // The adapter's publish never rejects (failures go to errorHandler); the catch only guards a future version.
    const next = (tails.get(key) ?? Promise.resolve()).then(() => publish(message)).catch(() => {});
    tails.set(key, next);
    void next.then(() => {
      if (tails.get(key) === next) tails.delete(key);
    });
    return next;
  };
}

/**
 * The pool as the adapter sees it: its LISTEN connection hands notifications to the adapter one at a
 * time, so a message whose attachment is still being fetched holds back the ones that came after it.
 */
function orderedListenPool(pool: pg.Pool): pg.Pool {
  return new Proxy(pool, {
    get(target, property) {
      if (property === "connect") {
        return async () => {
          const client = await target.connect();
          const on = client.on.bind(client) as (event: string, listener: (...args: unknown[]) => unknown) => pg.PoolClient;
          let tail: Promise<unknown> = Promise.resolve();
          (client as { on: unknown }).on = (event: string, listener: (...args: unknown[]) => unknown) =>
            event === "notification"
              ? on(event, (...args) => {
                  tail = tail.then(() => listener(...args)).catch(() => {});
                })
              : on(event, listener);
          return client;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

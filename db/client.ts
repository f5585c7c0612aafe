import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction handle; use cases accept either a Db or a Tx. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  sql: postgres.Sql;
  /** Connection string, for pg-boss and the Socket.IO adapter which bring their own driver. */
  url: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  max?: number;
  /** A connection attempt gives up after this long (postgres.js waits 30 s by default). */
  connectTimeoutSeconds?: number;
  /** The server cancels any statement running longer (0: never). */
  statementTimeoutMs?: number;
}

export function connect(url: string, options: ConnectOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: options.connectTimeoutSeconds ?? 30,
    // After failed connections postgres.js waits longer and longer before the next attempt (up to 20 s):
    // queries wait that long while the database is down, and it stays unused that long once it is back.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    // Every query here is short. JIT compilation costs milliseconds, and the planner's guesses for the search's
    // subqueries (auction/search.ts) can pass its threshold, so a page that takes 10 ms would take 15.
    connection: { jit: "off", ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}) },
  });
  const db = drizzle(sql, { schema });
  return { db, sql, url, close: () => sql.end({ timeout: 5 }) };
}

export { startEmbedded, type EmbeddedServer } from "./embedded.ts";

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

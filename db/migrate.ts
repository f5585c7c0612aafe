import { fileURLToPath } from "node:url";
import { migrate as drizzleMigrate } from "drizzle-orm/postgres-js/migrator";
import type { Database } from "./client.ts";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** Applies the committed SQL migrations; safe to run on every start and from several nodes at once. */
export async function migrate(database: Database): Promise<void> {
  // drizzle's migrator is not guarded against two nodes starting together; an advisory lock is.
  await database.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(4242001)`;
    await drizzleMigrate(database.db, { migrationsFolder });
  });
}

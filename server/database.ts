import path from "node:path";
import { connect, startEmbedded, withDatabase, type Database } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";
import type { Config } from "./config.ts";

export interface OpenedDatabase extends Database {
  embedded: boolean;
}

const APP_DATABASE = "judicial_auction";

/** DATABASE_URL if set; otherwise an embedded PostgreSQL whose data stays in DATA_DIR/postgres. Migrated either way. */
export async function openDatabase(config: Config): Promise<OpenedDatabase> {
  let database: Database;
  let stopEmbedded: (() => Promise<void>) | null = null;
  const bounds = { connectTimeoutSeconds: config.dbTimeouts.connectSeconds, statementTimeoutMs: config.dbTimeouts.statementMs };
  if (config.databaseUrl) {
    database = connect(config.databaseUrl, bounds);
  } else {
    const server = await startEmbedded(path.join(config.dataDir, "postgres"), config.embeddedPort);
    try {
      await server.createDatabase(APP_DATABASE);
    } catch (error) {
      await server.stop();
      throw error;
    }
    database = connect(withDatabase(server.adminUrl, APP_DATABASE), bounds);
    stopEmbedded = server.stop;
  }
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    await stopEmbedded?.();
    throw error;
  }
  return {
    ...database,
    embedded: stopEmbedded !== null,
    async close() {
      await database.close();
      await stopEmbedded?.();
    },
  };
}

import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { connect, withDatabase, type Database } from "../../db/client.ts";

/** A database of the test's own, cloned from the migrated template (a real PostgreSQL, never a mock). */
export async function createTestDatabase(): Promise<Database> {
  const adminUrl = inject("adminUrl");
  const template = inject("templateDatabase");
  const name = `${template}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  return connect(withDatabase(adminUrl, name));
}

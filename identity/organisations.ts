// The organisations accounts belong to: courts, appraisal agencies and inquiry platforms. The rows are
// identity's (users point at them); the appraisal context keeps the agency pool and the platform list and
// writes these rows only through the functions here, inside its own transaction, which authorizes and audits.
import { asc, eq } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { agencies, courts, inquiryPlatforms } from "../db/schema/index.ts";

/** Courts for the public lot filter. */
export async function listCourts(db: Db) {
  return db.select({ id: courts.id, name: courts.name }).from(courts).orderBy(asc(courts.code));
}

/** A new agency record, inside the caller's transaction. */
export async function insertAgency(tx: Tx, now: Date, input: { name: string; creditCode: string; regionCode: string }): Promise<string> {
  const [row] = await tx.insert(agencies).values({ ...input, createdAt: now }).returning({ id: agencies.id });
  return row!.id;
}

/** An agency coming back to the list may have a new name or seat. */
export async function updateAgency(tx: Tx, agencyId: string, input: { name: string; regionCode: string }): Promise<void> {
  await tx.update(agencies).set(input).where(eq(agencies.id, agencyId));
}

/** A new inquiry-platform record, inside the caller's transaction. */
export async function insertInquiryPlatform(tx: Tx, now: Date, input: { name: string; creditCode: string }): Promise<string> {
  const [row] = await tx.insert(inquiryPlatforms).values({ ...input, createdAt: now }).returning({ id: inquiryPlatforms.id });
  return row!.id;
}

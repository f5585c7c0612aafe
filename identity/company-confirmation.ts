import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { bidderProfiles, users } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import type { SessionUser } from "./sessions.ts";

/** Company accounts whose representation the court has not yet confirmed (C6). No lot is named. */
export async function companiesAwaitingConfirmation(db: Db) {
  return db
    .select({ userId: users.id, username: users.username, companyName: bidderProfiles.legalName, creditCode: bidderProfiles.identityNumber, phone: bidderProfiles.phone, since: users.createdAt })
    .from(bidderProfiles)
    .innerJoin(users, eq(users.id, bidderProfiles.userId))
    .where(and(eq(bidderProfiles.kind, "company"), isNull(bidderProfiles.courtConfirmedAt), eq(users.disabled, false)))
    .orderBy(asc(users.createdAt))
    .limit(200);
}

/** C6: court staff confirm, after checking the documents, that the account acts for the company. */
export async function confirmCompany(db: Db, clock: Clock, actor: SessionUser, userId: string): Promise<void> {
  if (actor.role !== "judge" && actor.role !== "clerk") throw new AppError("FORBIDDEN");
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(bidderProfiles)
      .set({ courtConfirmedAt: clock.now(), courtConfirmedBy: actor.id })
      .where(and(eq(bidderProfiles.userId, userId), eq(bidderProfiles.kind, "company"), isNull(bidderProfiles.courtConfirmedAt)))
      .returning({ userId: bidderProfiles.userId });
    if (updated.length === 0) throw new AppError("NOT_FOUND");
    await appendAudit(tx, clock, { actorId: actor.id, action: "identity.company_confirmed", entityType: "user", entityId: userId, data: { courtId: actor.courtId } });
  });
}

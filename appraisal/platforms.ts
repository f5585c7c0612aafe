// The SPC list of online price-inquiry platforms (A6): which platforms exist, the asset categories each one
// prices, their standing, and which of them an online inquiry goes to (A7, P7). Striking a platform off for
// late reports happens in the inquiry workflow; the standing shown here counts those late reports.
import { and, arrayContains, asc, count, eq, gte, isNull, lte, or } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.ts";
import { ASSET_CATEGORIES, inquiryRequests, platformListings, type AssetCategory, type PlatformStatus } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { addMonths, CN_SPC_2016 } from "../core/ruleset.ts";
import { parseOrThrow, plainText } from "../core/validation.ts";
import { authorize, inquiryPlatforms, insertInquiryPlatform, insertStaffUser, type SessionUser } from "../identity/index.ts";
import { creditCodeField, staffUserSchema, withUniqueCodes, type StaffUserInput } from "./pool.ts";

export const platformSchema = z.object({
  name: plainText({ max: 200 }),
  creditCode: creditCodeField,
  categories: z
    .array(z.enum(ASSET_CATEGORIES, { error: "validation.category" }), { error: "validation.required" })
    .min(1, "validation.required")
    .transform((cs) => [...new Set(cs)].sort()),
});

export type PlatformInput = z.input<typeof platformSchema>;

/** A6: puts an inquiry platform on the list with the asset categories it prices. */
export async function addPlatform(db: Db, clock: Clock, actor: SessionUser, input: PlatformInput | Record<string, unknown>): Promise<{ platformId: string }> {
  authorize(actor, "pool.manage");
  const data = parseOrThrow(platformSchema, input);
  const taken = new AppError("PLATFORM_ALREADY_LISTED", { fields: { creditCode: "validation.platformListed" } });
  return withUniqueCodes(
    () =>
      db.transaction(async (tx) => {
        const now = clock.now();
        const [dup] = await tx.select({ id: inquiryPlatforms.id }).from(inquiryPlatforms).where(eq(inquiryPlatforms.creditCode, data.creditCode)).limit(1);
        if (dup) throw taken;
        const platformId = await insertInquiryPlatform(tx, now, { name: data.name, creditCode: data.creditCode });
        await tx.insert(platformListings).values({ platformId, categories: data.categories, status: "active", statusChangedAt: now, createdAt: now });
        await appendAudit(tx, clock, { actorId: actor.id, action: "appraisal.platform_listed", entityType: "platform", entityId: platformId, data: { name: data.name, creditCode: data.creditCode, categories: data.categories } });
        return { platformId };
      }),
    { inquiry_platforms_credit_code_unique: taken },
  );
}

/** Changes the asset categories a listed platform prices (P7: the inquiry goes to those configured for the category). */
export async function setPlatformCategories(db: Db, clock: Clock, actor: SessionUser, platformId: string, input: { categories: AssetCategory[] } | Record<string, unknown>) {
  authorize(actor, "pool.manage");
  const { categories } = parseOrThrow(platformSchema.pick({ categories: true }), input);
  return db.transaction(async (tx) => {
    const updated = await tx.update(platformListings).set({ categories }).where(eq(platformListings.platformId, platformId)).returning({ id: platformListings.platformId });
    if (updated.length === 0) throw new AppError("NOT_FOUND");
    await appendAudit(tx, clock, { actorId: actor.id, action: "appraisal.platform_categories_set", entityType: "platform", entityId: platformId, data: { categories } });
    return categories;
  });
}

/** Opens an inquiry_platform account for a listed platform. */
export async function addPlatformUser(db: Db, clock: Clock, actor: SessionUser, platformId: string, input: StaffUserInput | Record<string, unknown>): Promise<{ userId: string }> {
  authorize(actor, "pool.manage");
  const data = parseOrThrow(staffUserSchema, input);
  return withUniqueCodes(
    () =>
      db.transaction(async (tx) => {
        const [listing] = await tx.select().from(platformListings).where(eq(platformListings.platformId, platformId)).limit(1);
        if (!listing) throw new AppError("NOT_FOUND");
        const userId = await insertStaffUser(tx, clock, data, { role: "inquiry_platform", platformId });
        await appendAudit(tx, clock, { actorId: actor.id, action: "appraisal.platform_user_added", entityType: "platform", entityId: platformId, data: { userId, username: data.username } });
        return { userId };
      }),
    {},
  );
}

export interface PlatformSummary {
  platformId: string;
  name: string;
  creditCode: string;
  categories: AssetCategory[];
  status: PlatformStatus;
  statusChangedAt: Date;
  barredUntil: Date | null;
  /** A6: reports not in by their deadline among inquiries sent in the last 12 months; 5 strike the platform off. */
  lateReportsLast12Months: number;
  lateReportsLimit: number;
}

/** The admin's view of the list: every platform with its standing (A6). */
export async function listPlatforms(db: DbOrTx, clock: Clock): Promise<PlatformSummary[]> {
  const since = addMonths(clock.now(), -CN_SPC_2016.platformLateReportsWindowMonths);
  const late = db
    .select({ platformId: inquiryRequests.platformId, n: count().as("n") })
    .from(inquiryRequests)
    // A6: counted like the strike-off (lateReportsInWindow): by when the report fell late, the window's first instant included.
    .where(and(eq(inquiryRequests.late, true), gte(inquiryRequests.lateAt, since), lte(inquiryRequests.lateAt, clock.now())))
    .groupBy(inquiryRequests.platformId)
    .as("late");
  const rows = await db
    .select({
      platformId: inquiryPlatforms.id,
      name: inquiryPlatforms.name,
      creditCode: inquiryPlatforms.creditCode,
      categories: platformListings.categories,
      status: platformListings.status,
      statusChangedAt: platformListings.statusChangedAt,
      barredUntil: platformListings.barredUntil,
      late: late.n,
    })
    .from(platformListings)
    .innerJoin(inquiryPlatforms, eq(inquiryPlatforms.id, platformListings.platformId))
    .leftJoin(late, eq(late.platformId, platformListings.platformId))
    .orderBy(asc(inquiryPlatforms.creditCode));
  return rows.map(({ late: n, ...r }) => ({ ...r, lateReportsLast12Months: Number(n ?? 0), lateReportsLimit: CN_SPC_2016.platformLateReportsLimit }));
}

/**
 * P7: the platforms an online inquiry for this category goes to — active on the list, configured for the
 * category, and not under a bar (A6). Ordered by credit code.
 */
export async function eligiblePlatforms(db: DbOrTx, clock: Clock, category: AssetCategory) {
  if (!ASSET_CATEGORIES.includes(category)) throw new AppError("VALIDATION_FAILED", { fields: { category: "validation.category" } });
  return db
    .select({ platformId: inquiryPlatforms.id, name: inquiryPlatforms.name, creditCode: inquiryPlatforms.creditCode })
    .from(platformListings)
    .innerJoin(inquiryPlatforms, eq(inquiryPlatforms.id, platformListings.platformId))
    .where(
      and(
        eq(platformListings.status, "active"),
        arrayContains(platformListings.categories, [category]),
        or(isNull(platformListings.barredUntil), lte(platformListings.barredUntil, clock.now())),
      ),
    )
    .orderBy(asc(inquiryPlatforms.creditCode));
}

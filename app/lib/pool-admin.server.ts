// Read-only queries for the admin's pool pages: one agency on the list with its sub-lists and staff, and
// the staff of each inquiry platform. Admins only (the pages ask "pool.manage" first).
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { agencies, agencySublists, poolAgencies, users } from "../../db/schema/index.ts";
import { AppError } from "../../core/errors.ts";

const staffColumns = { id: users.id, username: users.username, displayName: users.displayName, disabled: users.disabled, createdAt: users.createdAt };

/** One agency on the list: its standing (A12), its sub-lists and its member accounts. */
export async function getPoolAgency(db: Db, agencyId: string) {
  const [row] = await db
    .select({
      agencyId: agencies.id,
      name: agencies.name,
      creditCode: agencies.creditCode,
      regionCode: agencies.regionCode,
      status: poolAgencies.status,
      statusReason: poolAgencies.statusReason,
      statusChangedAt: poolAgencies.statusChangedAt,
      barredUntil: poolAgencies.barredUntil,
      listedAt: poolAgencies.createdAt,
    })
    .from(poolAgencies)
    .innerJoin(agencies, eq(agencies.id, poolAgencies.agencyId))
    .where(eq(poolAgencies.agencyId, agencyId));
  if (!row) throw new AppError("NOT_FOUND");
  const sublists = await db
    .select({ specialty: agencySublists.specialty, regionCode: agencySublists.regionCode })
    .from(agencySublists)
    .where(eq(agencySublists.agencyId, agencyId))
    .orderBy(asc(agencySublists.specialty), asc(agencySublists.regionCode));
  const members = await db
    .select(staffColumns)
    .from(users)
    .where(and(eq(users.agencyId, agencyId), eq(users.role, "agency_member")))
    .orderBy(asc(users.username));
  return { agency: row, sublists, members };
}

/** The staff accounts of the given platforms, by platform. */
export async function platformStaff(db: Db, platformIds: string[]) {
  if (platformIds.length === 0) return new Map<string, { id: string; username: string; displayName: string; disabled: boolean }[]>();
  const rows = await db
    .select({ ...staffColumns, platformId: users.platformId })
    .from(users)
    .where(and(inArray(users.platformId, platformIds), isNotNull(users.platformId), eq(users.role, "inquiry_platform")))
    .orderBy(asc(users.username));
  const byPlatform = new Map<string, { id: string; username: string; displayName: string; disabled: boolean }[]>();
  for (const r of rows) {
    const list = byPlatform.get(r.platformId!) ?? [];
    list.push({ id: r.id, username: r.username, displayName: r.displayName, disabled: r.disabled });
    byPlatform.set(r.platformId!, list);
  }
  return byPlatform;
}

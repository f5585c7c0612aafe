// Read-only queries for the admin's pool pages: one agency on the list with its sub-lists and staff, and
// the staff of each inquiry platform. Admins only (the pages ask "pool.manage" first).
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { users } from "../../db/schema/index.ts";
import { getListedAgency } from "../../appraisal/index.ts";

const staffColumns = { id: users.id, username: users.username, displayName: users.displayName, disabled: users.disabled, createdAt: users.createdAt };

/** One agency on the list: its standing (A12) and sub-lists as the appraisal context reads them, and its member accounts. */
export async function getPoolAgency(db: Db, agencyId: string) {
  const { sublists, ...agency } = await getListedAgency(db, agencyId);
  const members = await db
    .select(staffColumns)
    .from(users)
    .where(and(eq(users.agencyId, agencyId), eq(users.role, "agency_member")))
    .orderBy(asc(users.username));
  return { agency, sublists, members };
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

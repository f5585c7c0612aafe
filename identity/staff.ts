// Staff accounts of appraisal agencies and inquiry platforms: opened by the admin's pool use cases (appraisal
// context) inside their transaction, and listed on the admin's pool pages.
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { users, type Role } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { hashPassword } from "./passwords.ts";
import { authorize } from "./permissions.ts";
import type { SessionUser } from "./sessions.ts";

export interface StaffAccountInput {
  username: string;
  password: string;
  displayName: string;
  /** The staff member's resident ID: it bars them from bidding (C7). */
  staffIdentityNumber: string;
}

/** Opens an agency-member or platform account inside the caller's transaction. */
export async function insertStaffUser(
  tx: Tx,
  clock: Clock,
  input: StaffAccountInput,
  org: { role: Extract<Role, "agency_member" | "inquiry_platform">; agencyId?: string; platformId?: string },
): Promise<string> {
  const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username)).limit(1);
  if (taken) throw new AppError("USERNAME_TAKEN", { fields: { username: "validation.usernameTaken" } });
  const [row] = await tx
    .insert(users)
    .values({
      username: input.username,
      passwordHash: await hashPassword(input.password),
      displayName: input.displayName,
      role: org.role,
      agencyId: org.agencyId ?? null,
      platformId: org.platformId ?? null,
      staffIdentityNumber: input.staffIdentityNumber,
      createdAt: clock.now(),
    })
    .returning({ id: users.id });
  return row!.id;
}

export interface StaffAccount {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
}

const staffColumns = { id: users.id, username: users.username, displayName: users.displayName, disabled: users.disabled, createdAt: users.createdAt };

/** The member accounts of one agency, for the admin's pool page. */
export async function agencyMembers(db: Db, actor: SessionUser, agencyId: string) {
  authorize(actor, "pool.manage");
  return db
    .select(staffColumns)
    .from(users)
    .where(and(eq(users.agencyId, agencyId), eq(users.role, "agency_member")))
    .orderBy(asc(users.username));
}

/** The staff accounts of the given platforms, by platform, for the admin's platform page. */
export async function platformStaff(db: Db, actor: SessionUser, platformIds: string[]): Promise<Map<string, StaffAccount[]>> {
  authorize(actor, "pool.manage");
  if (platformIds.length === 0) return new Map<string, StaffAccount[]>();
  const rows = await db
    .select({ ...staffColumns, platformId: users.platformId })
    .from(users)
    .where(and(inArray(users.platformId, platformIds), isNotNull(users.platformId), eq(users.role, "inquiry_platform")))
    .orderBy(asc(users.username));
  const byPlatform = new Map<string, StaffAccount[]>();
  for (const r of rows) {
    const list = byPlatform.get(r.platformId!) ?? [];
    list.push({ id: r.id, username: r.username, displayName: r.displayName, disabled: r.disabled });
    byPlatform.set(r.platformId!, list);
  }
  return byPlatform;
}

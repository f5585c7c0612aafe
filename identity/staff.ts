// Staff accounts of appraisal agencies and inquiry platforms, opened by the admin's pool use cases (appraisal
// context) inside their transaction.
import { eq } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { users, type Role } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { hashPassword } from "./passwords.ts";

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

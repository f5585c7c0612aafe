import type { Role } from "../db/schema/index.ts";
import { AppError } from "../core/errors.ts";
import type { SessionUser } from "./sessions.ts";

/** Which roles hold each permission. Every loader and action that needs one asks `requirePermission`. */
export const PERMISSIONS = {
  "account.view": ["bidder", "judge", "clerk", "agency_member", "inquiry_platform", "party", "admin"],
  "users.manage": ["admin"],
  /** Court staff manage their own court's cases, assets, reference prices and lot drafts. */
  "cases.manage": ["judge", "clerk"],
  /** Publishing a lot records the panel's decision: judges only (B11). */
  "lots.publish": ["judge"],
  "lots.bid": ["bidder"],
  /** C6: a person declares the proxy who bids for them. */
  "account.proxy": ["bidder"],
  /** C6: court staff confirm who acts for a company bidder or a person's proxy. */
  "companies.confirm": ["judge", "clerk"],
  /** Machine clients (case-management systems, agencies' tools) act through their staff's tokens. */
  "api.tokens": ["judge", "clerk", "agency_member", "inquiry_platform", "admin"],
  /** Court staff run an asset's reference-price procedures: draws, commissions, reports, objections (A1–A24). */
  "appraisal.manage": ["judge", "clerk"],
  /** A party of a case acts through an account whose real-name identity number is the party's (A3, A13, A20, A21). */
  "cases.party": ["bidder", "party"],
  /** Appraisal agencies' staff answer commissions, upload reports and declare conflicts (A12–A21). */
  "agency.work": ["agency_member"],
  /** Online-inquiry platforms' staff answer inquiry requests (A7–A9). */
  "platform.work": ["inquiry_platform"],
  /** Platform admins keep the agency pool (A12) and the inquiry-platform registry (A6). */
  "pool.manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(user: Pick<SessionUser, "role"> | null, permission: Permission): boolean {
  return user !== null && (PERMISSIONS[permission] as readonly Role[]).includes(user.role);
}

/** The signed-in user if they hold `permission`; otherwise UNAUTHENTICATED (401) or FORBIDDEN (403). */
export function requirePermission(user: SessionUser | null, permission: Permission): SessionUser {
  if (!user) throw new AppError("UNAUTHENTICATED");
  if (!can(user, permission)) throw new AppError("FORBIDDEN");
  return user;
}

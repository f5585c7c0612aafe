import type { SessionUser } from "../../identity/index.ts";

/**
 * Where each role's work starts, where signing in lands when no page asked for it: court staff on their cases,
 * agencies and inquiry platforms on their portals, the admin on the accounts, a case's party on its cases, and a
 * bidder on the site's home page.
 */
const HOMES: Record<SessionUser["role"], string> = {
  judge: "/court/cases",
  clerk: "/court/cases",
  agency_member: "/agency",
  inquiry_platform: "/platform",
  admin: "/admin/users",
  party: "/my/cases",
  bidder: "/",
};

export const homeOf = (role: SessionUser["role"]): string => HOMES[role];

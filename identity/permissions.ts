import type { Role } from "../db/schema/index.ts";
import { AppError } from "../core/errors.ts";
import type { SessionUser } from "./sessions.ts";
import { requireTokenScope, tokenAllows } from "./api-scopes.ts";

/**
 * How far a permission reaches. The scope is part of the permission, so a use case that knows the record it
 * acts on passes that record's owner and `authorize` checks it in the same call as the role:
 * - `any`: wherever the role holds it (the platform's admins, a bidder's own account);
 * - `court`: records of the actor's own court;
 * - `agency` / `platform`: records of the actor's own appraisal agency / inquiry platform;
 * - `case`: cases the actor is a party to (the caller looks the party up and passes `isParty`).
 */
export type Scope = "any" | "court" | "agency" | "platform" | "case";

export interface PermissionSpec {
  roles: readonly Role[];
  scope: Scope;
}

/** Which roles hold each permission, and over what. Every use case asks `authorize` first. */
export const PERMISSIONS = {
  "account.view": { roles: ["bidder", "judge", "clerk", "agency_member", "inquiry_platform", "party", "admin"], scope: "any" },
  "users.manage": { roles: ["admin"], scope: "any" },
  /** Court staff manage their own court's cases, assets, reference prices and lot drafts. */
  "cases.manage": { roles: ["judge", "clerk"], scope: "court" },
  /** Court staff open a case in their own court, naming a judge of it in charge (a judge may take it themselves). */
  "cases.create": { roles: ["judge", "clerk"], scope: "court" },
  /** Publishing a lot records the panel's decision: judges only (B11). */
  "lots.publish": { roles: ["judge"], scope: "court" },
  /** G1, G3, G4: the judge suspends (暂缓) or stays (中止) a lot with a posted reason, and resumes it. */
  "lots.hold": { roles: ["judge"], scope: "court" },
  /** G2: the platform's admin may suspend a lot for a system fault or security risk, and the court is told at once. */
  "lots.hold_for_fault": { roles: ["admin"], scope: "any" },
  "lots.bid": { roles: ["bidder"], scope: "any" },
  /** 设置提醒: a member of the public with an account follows a lot to be reminded before it starts and ends. */
  "lots.follow": { roles: ["bidder", "party"], scope: "any" },
  /** 预约看样: a member of the public with an account books a viewing of a lot, and cancels it. */
  "lots.viewing": { roles: ["bidder", "party"], scope: "any" },
  /** C6: a person declares the proxy who bids for them. */
  "account.proxy": { roles: ["bidder"], scope: "any" },
  /** C6: court staff confirm who acts for a company bidder or a person's proxy. */
  "companies.confirm": { roles: ["judge", "clerk"], scope: "court" },
  /** Machine clients (case-management systems, agencies' tools) act through their staff's tokens; parties' tools through theirs, which reach only their cases. */
  "api.tokens": { roles: ["judge", "clerk", "agency_member", "inquiry_platform", "admin", "bidder", "party"], scope: "any" },
  /** Court staff run an asset's reference-price procedures: draws, commissions, reports, objections (A1–A24). */
  "appraisal.manage": { roles: ["judge", "clerk"], scope: "court" },
  /** The court's decisions in a procedure (suspend, withdraw, decide an objection, fix the price) are the judge's. */
  "appraisal.decide": { roles: ["judge"], scope: "court" },
  /**
   * A party of a case acts on it: objections, negotiation figures, entropy for the draw (A3, A13, A20, A21). The
   * caller passes `isParty` from a confirmed party link only (auction/party-links.ts), never from an identity number.
   */
  "cases.party": { roles: ["bidder", "party"], scope: "case" },
  /** Court staff link accounts to their cases' parties: issue one-time link codes, confirm or refuse claims, revoke links. */
  "cases.link_parties": { roles: ["judge", "clerk"], scope: "court" },
  /** A signed-in person redeems a party link code, or claims to be a case's party for the court to confirm. */
  "cases.claim_party": { roles: ["bidder", "party"], scope: "any" },
  /** A bidder has their real name verified (C2, C6): registering for a lot needs it. */
  "account.real_name": { roles: ["bidder"], scope: "any" },
  /** Appraisal agencies' staff answer commissions, upload reports and declare conflicts (A12–A21). */
  "agency.work": { roles: ["agency_member"], scope: "agency" },
  /** Online-inquiry platforms' staff answer inquiry requests (A7–A9). */
  "platform.work": { roles: ["inquiry_platform"], scope: "platform" },
  /** Platform admins keep the agency pool (A12) and the inquiry-platform registry (A6). */
  "pool.manage": { roles: ["admin"], scope: "any" },
  /** H3, H8: the judge drafts and approves the distribution of a case's escrow; clerks read it (cases.manage). */
  "escrow.distribute": { roles: ["judge"], scope: "court" },
  /** The platform's admin compares the escrow's books with the payment gateway's (H6, P14). */
  "escrow.reconcile": { roles: ["admin"], scope: "any" },
} as const satisfies Record<string, PermissionSpec>;

export type Permission = keyof typeof PERMISSIONS;

/** The owner of the record acted on, as far as the permission's scope needs it. */
export interface ScopeTarget {
  courtId?: string | null;
  agencyId?: string | null;
  platformId?: string | null;
  /** For `case` scope: whether the actor is a party to the case (looked up by the caller). */
  isParty?: boolean;
}

function inScope(actor: SessionUser, scope: Scope, target: ScopeTarget): boolean {
  switch (scope) {
    case "any":
      return true;
    case "court":
      return actor.courtId !== null && actor.courtId === target.courtId;
    case "agency":
      return actor.agencyId !== null && actor.agencyId === target.agencyId;
    case "platform":
      return actor.platformId !== null && actor.platformId === target.platformId;
    case "case":
      return target.isParty === true;
  }
}

/**
 * Whether `actor` holds `permission` over `target`. Without a target only the role is checked: that is the
 * gate of a page or route before the record is known; the use case then checks again with the record's owner.
 */
export function can(actor: Pick<SessionUser, "role" | "courtId" | "agencyId" | "platformId" | "apiToken"> | null, permission: Permission, target?: ScopeTarget): boolean {
  if (actor === null) return false;
  return holds(actor, permission, target) && (!actor.apiToken || tokenAllows(actor.apiToken, permission));
}

/** The role and the record's owner, before any token narrows them. */
function holds(actor: Pick<SessionUser, "role" | "courtId" | "agencyId" | "platformId">, permission: Permission, target?: ScopeTarget): boolean {
  const spec: PermissionSpec = PERMISSIONS[permission];
  if (!spec.roles.includes(actor.role)) return false;
  return target === undefined || inScope(actor as SessionUser, spec.scope, target);
}

/**
 * The one authorization call: the actor if they hold `permission` over `target`; otherwise UNAUTHENTICATED (401)
 * for nobody signed in, or FORBIDDEN (403). An API token past its expiry is TOKEN_EXPIRED (401); one whose scopes
 * do not cover the permission's area for this request is TOKEN_SCOPE_MISSING (403).
 */
export function authorize(actor: SessionUser | null, permission: Permission, target?: ScopeTarget): SessionUser {
  if (!actor) throw new AppError("UNAUTHENTICATED");
  if (actor.apiToken?.expired) throw new AppError("TOKEN_EXPIRED");
  if (!holds(actor, permission, target)) throw new AppError("FORBIDDEN");
  // An API token acts with its user's permissions, narrowed to its scopes (identity/api-scopes.ts).
  if (actor.apiToken) requireTokenScope(actor.apiToken, permission);
  return actor;
}

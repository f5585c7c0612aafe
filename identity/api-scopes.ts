import { AppError } from "../core/errors.ts";
import type { Permission } from "./permissions.ts";

/**
 * What an API token may do: read or write in an area. The areas follow the JSON API (app/routes/api) through the
 * permission each route is gated on: a token acts with its user's permissions, narrowed to its scopes.
 * Public reads (lots, draws) need no token and so no scope; lots therefore have only `write` (publishing).
 * The database check `api_tokens_scopes_check` lists the same values.
 */
export const API_SCOPES = ["cases:read", "cases:write", "lots:write", "appraisal:read", "appraisal:write", "admin:read", "admin:write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];
/** "account": the user's own settings (their tokens, their proxy), which no token may touch: it has no scopes. */
export type ApiArea = "cases" | "lots" | "appraisal" | "admin" | "account";
export type ApiAccess = "read" | "write";

/**
 * The area of each permission; null: any valid token may use it (only `account.view`: who am I). Permissions that
 * only pages use are placed where their records live, so a new API route on them is scoped from the start.
 * A new permission must be placed here (the Record does not compile without it).
 */
export const PERMISSION_AREAS: Record<Permission, ApiArea | null> = {
  "account.view": null,
  "users.manage": "admin",
  "escrow.reconcile": "admin",
  "cases.manage": "cases",
  "cases.create": "cases",
  "lots.publish": "lots",
  "lots.hold": "lots",
  "lots.hold_for_fault": "admin",
  "lots.bid": "lots",
  "lots.follow": "lots",
  "lots.viewing": "lots",
  "account.proxy": "account",
  "companies.confirm": "cases",
  "api.tokens": "account",
  "appraisal.manage": "appraisal",
  "appraisal.decide": "appraisal",
  "cases.party": "cases",
  "cases.link_parties": "cases",
  "cases.claim_party": "account",
  "account.real_name": "account",
  "agency.work": "appraisal",
  "platform.work": "appraisal",
  "pool.manage": "admin",
  "escrow.distribute": "cases",
};

/** Reads are the safe methods; everything else writes. */
export function accessOf(method: string): ApiAccess {
  return ["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase()) ? "read" : "write";
}

/** The token a request came with, as the root middleware resolved it. */
export interface ApiTokenGrant {
  id: string;
  scopes: readonly ApiScope[];
  /** What the current request does: read (GET, HEAD) or write. */
  access: ApiAccess;
  expired: boolean;
}

/** Whether the token lets this request use `permission`: not expired, and its scopes hold the area for this access. */
export function tokenAllows(grant: ApiTokenGrant, permission: Permission): boolean {
  if (grant.expired) return false;
  const area = PERMISSION_AREAS[permission];
  return area === null || grant.scopes.includes(`${area}:${grant.access}` as ApiScope);
}

/** Throws TOKEN_EXPIRED (401) or TOKEN_SCOPE_MISSING (403) when the token does not allow `permission`. */
export function requireTokenScope(grant: ApiTokenGrant, permission: Permission): void {
  if (grant.expired) throw new AppError("TOKEN_EXPIRED");
  if (!tokenAllows(grant, permission)) throw new AppError("TOKEN_SCOPE_MISSING");
}

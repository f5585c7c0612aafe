import { describe, expect, it } from "vitest";
import { isAppError } from "../../core/errors.ts";
import { authorize, can, mask, PERMISSIONS, sealToken, unsealToken, type Permission, type Scope, type ScopeTarget, type SessionUser } from "../../identity/index.ts";
import { ROLES, type Role } from "../../db/schema/index.ts";

const user = (role: SessionUser["role"]): SessionUser => ({ id: "u", username: "u", displayName: "U", role, courtId: null, agencyId: null, platformId: null, sessionId: "s" });

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return isAppError(e) ? e.code : "NOT_APP_ERROR";
  }
}

describe("permissions", () => {
  it("lets only admins manage users", () => {
    expect(can(user("admin"), "users.manage")).toBe(true);
    for (const role of ["bidder", "judge", "clerk", "agency_member", "inquiry_platform", "party"] as const) {
      expect(can(user(role), "users.manage")).toBe(false);
    }
  });

  it("refuses anonymous visitors with UNAUTHENTICATED and the wrong role with FORBIDDEN", () => {
    expect(codeOf(() => authorize(null, "account.view"))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => authorize(user("judge"), "users.manage"))).toBe("FORBIDDEN");
    expect(authorize(user("admin"), "users.manage").role).toBe("admin");
  });

  it("gives every role its own account page", () => {
    expect([...PERMISSIONS["account.view"].roles].sort()).toEqual(["admin", "agency_member", "bidder", "clerk", "inquiry_platform", "judge", "party"]);
  });
});

describe("session cookie", () => {
  const secret = "s".repeat(40);

  it("reads back a token it sealed", () => {
    expect(unsealToken(sealToken("abc", secret), secret)).toBe("abc");
  });

  it("refuses a token sealed with another secret, a changed token, or garbage", () => {
    const sealed = sealToken("abc", secret);
    expect(unsealToken(sealed, "t".repeat(40))).toBeNull();
    expect(unsealToken(`abd.${sealed.split(".")[1]}`, secret)).toBeNull();
    expect(unsealToken("no-dot", secret)).toBeNull();
    expect(unsealToken(undefined, secret)).toBeNull();
  });
});

describe("I1: identity numbers are masked on screen", () => {
  it("keeps only the first three and last four characters", () => {
    expect(mask("11010519491231002X")).toBe("110***********002X");
    expect(mask("13800000001")).toBe("138****0001");
  });
});

// The table test is generated from PERMISSIONS: a new permission, role or scope is covered the moment it is added,
// and a permission whose expected holders are not written down below fails the first test.
describe("authorize: every role × permission × scope, generated from the permission table", () => {
  const OWN = { courtId: "court-1", agencyId: "agency-1", platformId: "platform-1" };
  const OTHER = { courtId: "court-2", agencyId: "agency-2", platformId: "platform-2" };
  const actor = (role: Role): SessionUser => ({ ...user(role), ...OWN });
  const targets: Record<Scope, { own: ScopeTarget; other: ScopeTarget }> = {
    any: { own: {}, other: {} },
    court: { own: { courtId: OWN.courtId }, other: { courtId: OTHER.courtId } },
    agency: { own: { agencyId: OWN.agencyId }, other: { agencyId: OTHER.agencyId } },
    platform: { own: { platformId: OWN.platformId }, other: { platformId: OTHER.platformId } },
    case: { own: { isParty: true }, other: { isParty: false } },
  };
  /** Who holds what, written out by hand: the table in code must agree with it. */
  const EXPECTED: Record<Permission, string> = {
    "account.view": "admin agency_member bidder clerk inquiry_platform judge party / any",
    "users.manage": "admin / any",
    "cases.manage": "clerk judge / court",
    "cases.create": "clerk judge / court",
    "lots.publish": "judge / court",
    "lots.hold": "judge / court",
    "lots.hold_for_fault": "admin / any",
    "lots.bid": "bidder / any",
    "lots.follow": "bidder party / any",
    "lots.viewing": "bidder party / any",
    "account.proxy": "bidder / any",
    "companies.confirm": "clerk judge / court",
    "api.tokens": "admin agency_member bidder clerk inquiry_platform judge party / any",
    "appraisal.manage": "clerk judge / court",
    "appraisal.decide": "judge / court",
    "cases.party": "bidder party / case",
    "cases.link_parties": "clerk judge / court",
    "cases.claim_party": "bidder party / any",
    "account.real_name": "bidder / any",
    "agency.work": "agency_member / agency",
    "platform.work": "inquiry_platform / platform",
    "pool.manage": "admin / any",
    "escrow.distribute": "judge / court",
    "escrow.reconcile": "admin / any",
  };

  it("every permission in the table has its holders written down here, and no others", () => {
    const actual = Object.fromEntries(Object.entries(PERMISSIONS).map(([p, s]) => [p, `${[...s.roles].sort().join(" ")} / ${s.scope}`]));
    expect(actual).toEqual(EXPECTED);
  });

  for (const [permission, spec] of Object.entries(PERMISSIONS) as [Permission, (typeof PERMISSIONS)[Permission]][]) {
    for (const role of ROLES) {
      const holds = (spec.roles as readonly Role[]).includes(role);
      const { own, other } = targets[spec.scope];
      it(`${permission} · ${role}: ${holds ? `allowed on its own (${spec.scope})` : "refused"}`, () => {
        expect(codeOf(() => authorize(actor(role), permission, own))).toBe(holds ? null : "FORBIDDEN");
        expect(codeOf(() => authorize(actor(role), permission))).toBe(holds ? null : "FORBIDDEN");
        // Out of scope: another court's, agency's or platform's record, or a case the actor is no party to.
        const outside = spec.scope === "any" && holds ? null : "FORBIDDEN";
        expect(codeOf(() => authorize(actor(role), permission, other))).toBe(outside);
        expect(codeOf(() => authorize(null, permission, own))).toBe("UNAUTHENTICATED");
      });
    }
    if (spec.scope !== "any" && spec.scope !== "case") {
      it(`${permission}: an actor with no ${spec.scope} of their own is refused even where the record has none`, () => {
        const role = spec.roles[0]!;
        expect(codeOf(() => authorize(user(role), permission, { courtId: null, agencyId: null, platformId: null }))).toBe("FORBIDDEN");
      });
    }
  }
});

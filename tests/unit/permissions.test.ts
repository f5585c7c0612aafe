import { describe, expect, it } from "vitest";
import { isAppError } from "../../core/errors.ts";
import { can, mask, PERMISSIONS, requirePermission, sealToken, unsealToken, type SessionUser } from "../../identity/index.ts";

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
    expect(codeOf(() => requirePermission(null, "account.view"))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => requirePermission(user("judge"), "users.manage"))).toBe("FORBIDDEN");
    expect(requirePermission(user("admin"), "users.manage").role).toBe("admin");
  });

  it("gives every role its own account page", () => {
    expect([...PERMISSIONS["account.view"]].sort()).toEqual(["admin", "agency_member", "bidder", "clerk", "inquiry_platform", "judge", "party"]);
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

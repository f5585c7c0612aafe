import { describe, expect, it } from "vitest";
import { parseInput } from "../../core/validation.ts";
import { registerBidderSchema } from "../../identity/index.ts";
import { containsUsername, isCommonPassword } from "../../identity/passwords.ts";
import { COMMON_PASSWORDS } from "../../identity/common-passwords.ts";
import { staffUserSchema } from "../../appraisal/pool.ts";

const form = (password: string, username = "zhang.wei") => ({
  kind: "person",
  legalName: "张伟",
  identityNumber: "11010519491231002X",
  phone: "13912345678",
  username,
  password,
});
const passwordError = (password: string, username?: string) => {
  const parsed = parseInput(registerBidderSchema, form(password, username));
  return parsed.ok ? null : (parsed.fields.password ?? null);
};

describe("new passwords (ASVS V2.1.1, V2.1.7)", () => {
  it("ASVS V2.1.1: refuses fewer than 12 characters and takes 12", () => {
    expect(passwordError("elevenchars")).toBe("validation.passwordShort");
    expect(passwordError("twelve chars")).toBeNull();
  });

  it("ASVS V2.1.7: refuses the bundled common passwords in any case", () => {
    for (const p of ["password1234", "Password1234", "QWERTYUIOP123", "1qaz2wsx3edc", "woaini1314520", "123456789012"]) {
      expect(isCommonPassword(p), p).toBe(true);
      expect(passwordError(p), p).toBe("validation.passwordCommon");
    }
    expect(isCommonPassword("granite-otter-lantern")).toBe(false);
  });

  it("ASVS V2.1.7: the bundled list holds thousands of lower-case passwords of 12 or more characters", () => {
    const list = COMMON_PASSWORDS.split("\n").filter(Boolean);
    expect(list.length).toBeGreaterThan(3000);
    for (const p of list) {
      expect(p.length).toBeGreaterThanOrEqual(12);
      expect(p).toBe(p.toLowerCase());
    }
  });

  it("ASVS V2.1.x: refuses a password that is or contains the username, in any case", () => {
    expect(containsUsername("ZHANG.WEI-2026!", "zhang.wei")).toBe(true);
    expect(passwordError("zhang.wei.secret", "zhang.wei")).toBe("validation.passwordHasUsername");
    expect(passwordError("my ZHANG.WEI pass", "zhang.wei")).toBe("validation.passwordHasUsername");
    expect(passwordError("lina.shanghai", "lina.shanghai")).toBe("validation.passwordHasUsername");
    expect(passwordError("granite-otter-lantern", "zhang.wei")).toBeNull();
  });

  it("ASVS V2.1.x: staff accounts an admin opens follow the same rules", () => {
    const staff = (username: string, password: string) => parseInput(staffUserSchema, { username, password, displayName: "李评估", staffIdentityNumber: "11010519491231002X" });
    const fields = (r: ReturnType<typeof staff>) => (r.ok ? null : (r.fields.password ?? null));
    expect(fields(staff("li.pinggu", "li.pinggu-2026!"))).toBe("validation.passwordHasUsername");
    expect(fields(staff("li.pinggu", "Administrator"))).toBe("validation.passwordCommon");
    expect(fields(staff("li.pinggu", "granite-otter-lantern"))).toBeNull();
  });
});

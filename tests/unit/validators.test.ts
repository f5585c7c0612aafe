import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  creditCodeCheckChar,
  normalizeCreditCode,
  normalizeResidentId,
  residentIdCheckChar,
  validateCreditCode,
  validatePhone,
  validateResidentId,
} from "../../identity/validators.ts";

// Independent reference implementations: weights are derived from the standards' formulas
// (2^(17-i) mod 11 and 3^i mod 31) rather than copied from the module's tables.
function refIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  return "10X98765432"[sum % 11]!;
}

const CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
function refCreditCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARS.indexOf(first17[i]!) * (3 ** i % 31);
  return CREDIT_CHARS[(31 - (sum % 31)) % 31]!;
}

const TODAY = new Date("2025-06-15T04:00:00Z");
const ID_CHARS = "0123456789X";
const withCheck = (first17: string) => first17 + refIdCheck(first17);

describe("validateResidentId (GB 11643-1999)", () => {
  it("accepts the public sample 11010519491231002X as a woman born 1949-12-31", () => {
    expect(validateResidentId("11010519491231002X", TODAY)).toEqual({ ok: true, birthDate: "1949-12-31", sex: "F" });
  });

  it("accepts numbers built with an independent check-digit implementation", () => {
    for (const first17 of ["44030419900307123", "31010120000229456", "65010219800101001", "83000019991231002", "11010519000101000"]) {
      expect(validateResidentId(withCheck(first17), TODAY).ok, first17).toBe(true);
    }
  });

  it("reads an odd sequence number as male and an even one as female", () => {
    expect(validateResidentId(withCheck("44030419900307123"), TODAY)).toMatchObject({ sex: "M", birthDate: "1990-03-07" });
    expect(validateResidentId(withCheck("44030419900307124"), TODAY)).toMatchObject({ sex: "F" });
  });

  it("accepts a lowercase x check character and surrounding whitespace", () => {
    expect(validateResidentId("11010519491231002x", TODAY).ok).toBe(true);
    expect(validateResidentId("  11010519491231002X\n", TODAY).ok).toBe(true);
    expect(normalizeResidentId(" 11010519491231002x ")).toBe("11010519491231002X");
  });

  it("refuses every wrong GB 11643 check digit", () => {
    for (const valid of ["11010519491231002X", withCheck("44030419900307123"), withCheck("31010120000229456")]) {
      for (const ch of ID_CHARS) {
        if (ch === valid[17]) continue;
        expect(validateResidentId(valid.slice(0, 17) + ch, TODAY), ch).toEqual({ ok: false, reason: "CHECK_DIGIT" });
      }
    }
  });

  it("refuses 17 and 19 characters as LENGTH", () => {
    expect(validateResidentId("11010519491231002", TODAY)).toEqual({ ok: false, reason: "LENGTH" });
    expect(validateResidentId("11010519491231002X1", TODAY)).toEqual({ ok: false, reason: "LENGTH" });
    expect(validateResidentId("", TODAY)).toEqual({ ok: false, reason: "LENGTH" });
  });

  it("refuses letters in the body and X anywhere but the end as FORMAT", () => {
    expect(validateResidentId("1101051949123100AX", TODAY)).toEqual({ ok: false, reason: "FORMAT" });
    expect(validateResidentId("X10105194912310021", TODAY)).toEqual({ ok: false, reason: "FORMAT" });
    expect(validateResidentId("11010519491231002Y", TODAY)).toEqual({ ok: false, reason: "FORMAT" });
    expect(validateResidentId("１１010519491231002X", TODAY)).toEqual({ ok: false, reason: "FORMAT" });
  });

  it("refuses unknown province codes as REGION", () => {
    for (const prefix of ["99", "00", "10", "16", "24", "47", "55", "66", "80", "84", "91"]) {
      expect(validateResidentId(withCheck(prefix + "010519491231002"), TODAY), prefix).toEqual({ ok: false, reason: "REGION" });
    }
  });

  it.each([
    ["19990230", "February 30th"],
    ["20230229", "February 29th in a common year"],
    ["19901301", "month 13"],
    ["19900100", "day 0"],
    ["20991231", "a future date"],
    ["18991231", "a date before 1900"],
    ["20250616", "tomorrow in China"],
  ])("refuses birth date %s (%s) as BIRTH_DATE", (birth) => {
    expect(validateResidentId(withCheck(`110105${birth}002`), TODAY)).toEqual({ ok: false, reason: "BIRTH_DATE" });
  });

  it("accepts someone born today in China even when it is still yesterday in UTC", () => {
    // 2025-06-14T20:00Z is already 2025-06-15 04:00 in Beijing.
    const lateUtc = new Date("2025-06-14T20:00:00Z");
    expect(validateResidentId(withCheck("11010520250615002"), lateUtc)).toMatchObject({ ok: true, birthDate: "2025-06-15" });
    expect(validateResidentId(withCheck("11010520250616002"), lateUtc)).toEqual({ ok: false, reason: "BIRTH_DATE" });
  });

  it("agrees with the reference check digit for random bodies", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (first17) => {
        expect(residentIdCheckChar(first17)).toBe(refIdCheck(first17));
      }),
    );
  });

  it("refuses to compute a check digit for a body that is not 17 digits", () => {
    expect(() => residentIdCheckChar("1234")).toThrow(RangeError);
    expect(() => residentIdCheckChar("1101051949123100A")).toThrow(RangeError);
  });
});

describe("validateCreditCode (GB 32100-2015)", () => {
  it("accepts the published code 91350100M000100Y43", () => {
    expect(validateCreditCode("91350100M000100Y43")).toEqual({ ok: true });
  });

  it("accepts codes built with an independent check-character implementation", () => {
    for (const first17 of ["91110000600037341", "12100000400010243", "52440300MJL123456", "Y1110000000000000"]) {
      expect(validateCreditCode(first17 + refCreditCheck(first17)), first17).toEqual({ ok: true });
    }
  });

  it("accepts lowercase input and surrounding whitespace", () => {
    expect(validateCreditCode(" 91350100m000100y43 ")).toEqual({ ok: true });
    expect(normalizeCreditCode(" 91350100m000100y43 ")).toBe("91350100M000100Y43");
  });

  it("refuses every wrong GB 32100 check character", () => {
    const valid = "91350100M000100Y43";
    for (const ch of CREDIT_CHARS) {
      if (ch === valid[17]) continue;
      expect(validateCreditCode(valid.slice(0, 17) + ch), ch).toEqual({ ok: false, reason: "CHECK_CHARACTER" });
    }
  });

  it("refuses 17 and 19 characters as LENGTH", () => {
    expect(validateCreditCode("91350100M000100Y4")).toEqual({ ok: false, reason: "LENGTH" });
    expect(validateCreditCode("91350100M000100Y431")).toEqual({ ok: false, reason: "LENGTH" });
    expect(validateCreditCode("")).toEqual({ ok: false, reason: "LENGTH" });
  });

  it.each(["I", "O", "Z", "S", "V", "-", "中"])("refuses the forbidden character %s as FORMAT", (ch) => {
    expect(validateCreditCode("91350100" + ch + "000100Y43")).toEqual({ ok: false, reason: "FORMAT" });
    expect(validateCreditCode("91350100M000100Y4" + ch)).toEqual({ ok: false, reason: "FORMAT" });
  });

  it("agrees with the reference check character for random bodies", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CREDIT_CHARS), { minLength: 17, maxLength: 17 }), (chars) => {
        const first17 = chars.join("");
        expect(creditCodeCheckChar(first17)).toBe(refCreditCheck(first17));
        expect(validateCreditCode(first17 + refCreditCheck(first17))).toEqual({ ok: true });
      }),
    );
  });

  it("refuses to compute a check character for an invalid body", () => {
    expect(() => creditCodeCheckChar("91350100M000100Y")).toThrow(RangeError);
    expect(() => creditCodeCheckChar("91350100I000100Y4")).toThrow(RangeError);
  });
});

describe("validatePhone", () => {
  it.each(["13800138000", "19912345678", "15000000000", " 13800138000 "])("accepts mainland mobile number %j", (phone) => {
    expect(validatePhone(phone)).toBe(true);
  });

  it.each(["12800138000", "10000000000", "1380013800", "138001380000", "+8613800138000", "1380013800a", "138 0013 8000", ""])(
    "refuses %j",
    (phone) => {
      expect(validatePhone(phone)).toBe(false);
    },
  );
});

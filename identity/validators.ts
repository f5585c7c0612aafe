// Validators for the identity data bidders register with. They catch typing mistakes
// (the check characters exist for exactly that); they do not prove a number was issued.

export type ResidentIdResult =
  | { ok: true; birthDate: string; sex: "M" | "F" }
  | { ok: false; reason: "LENGTH" | "FORMAT" | "REGION" | "BIRTH_DATE" | "CHECK_DIGIT" };

export type CreditCodeResult = { ok: true } | { ok: false; reason: "LENGTH" | "FORMAT" | "CHECK_CHARACTER" };

// ---- Citizen identity number, GB 11643-1999 -------------------------------------------

/** First two digits of the administrative division code (GB/T 2260 provinces, plus 71/81/82/83). */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  "11", "12", "13", "14", "15",
  "21", "22", "23",
  "31", "32", "33", "34", "35", "36", "37",
  "41", "42", "43", "44", "45", "46",
  "50", "51", "52", "53", "54",
  "61", "62", "63", "64", "65",
  "71", // Taiwan
  "81", "82", // Hong Kong, Macao
  "83", // residence permits for Taiwan residents
]);

// ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = "10X98765432";

/** The 18th character for a 17-digit identity number body. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError("Expected 17 digits");
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARS[sum % 11]!;
}

/** Trimmed, with a lowercase check character x upper-cased: the form to store. */
export function normalizeResidentId(id: string): string {
  return id.trim().replace(/x$/, "X");
}

// Birth dates are calendar dates in China, so "today" is taken in UTC+8 whatever the server zone.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

export function validateResidentId(id: string, today: Date = new Date()): ResidentIdResult {
  const value = normalizeResidentId(id);
  if (value.length !== 18) return { ok: false, reason: "LENGTH" };
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, reason: "FORMAT" };
  if (!PROVINCE_CODES.has(value.slice(0, 2))) return { ok: false, reason: "REGION" };

  const birth = value.slice(6, 14);
  const year = Number(birth.slice(0, 4));
  const month = Number(birth.slice(4, 6));
  const day = Number(birth.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  const isRealDate = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  const todayInChina = new Date(today.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10).replaceAll("-", "");
  // YYYYMMDD strings compare in date order.
  if (!isRealDate || year < 1900 || birth > todayInChina) return { ok: false, reason: "BIRTH_DATE" };

  if (residentIdCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, reason: "CHECK_DIGIT" };

  return {
    ok: true,
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    // The 17th digit ends the sequence number: odd for men, even for women.
    sex: Number(value[16]) % 2 === 1 ? "M" : "F",
  };
}

// ---- Unified social credit code, GB 32100-2015 -----------------------------------------

// 31 characters: digits and capitals without I, O, Z, S, V (too easily misread).
const CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// Weight of position i is 3^i mod 31.
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The 18th character for a 17-character credit code body (upper case). */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError("Expected 17 characters");
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CHARSET.indexOf(first17[i]!);
    if (value < 0) throw new RangeError(`Character ${first17[i]} is not allowed in a credit code`);
    sum += value * CREDIT_WEIGHTS[i]!;
  }
  return CREDIT_CHARSET[(31 - (sum % 31)) % 31]!;
}

/** Trimmed and upper-cased: the form to store. */
export function normalizeCreditCode(code: string): string {
  return code.trim().toUpperCase();
}

export function validateCreditCode(code: string): CreditCodeResult {
  const value = normalizeCreditCode(code);
  if (value.length !== 18) return { ok: false, reason: "LENGTH" };
  for (const ch of value) if (!CREDIT_CHARSET.includes(ch)) return { ok: false, reason: "FORMAT" };
  if (creditCodeCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, reason: "CHECK_CHARACTER" };
  return { ok: true };
}

// ---- Mobile phone ----------------------------------------------------------------------

/** Mainland China mobile number: 11 digits starting 13–19. Surrounding whitespace is ignored. */
export function validatePhone(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone.trim());
}

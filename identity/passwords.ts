import { hash, verify } from "@node-rs/argon2";
import { COMMON_PASSWORDS } from "./common-passwords.ts";

// @node-rs/argon2 defaults to argon2id; parameters follow the OWASP minimum (19 MiB, 2 passes).
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Compared against when the username is unknown, so a miss costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  try {
    const ok = await verify(passwordHash ?? (await (dummyHash ??= hashPassword("no-such-user"))), password);
    return passwordHash !== null && ok;
  } catch {
    return false;
  }
}

/** A new password's rules (ASVS V2.1.1, V2.1.7); they apply when a password is set, never to one already set. */
export const MIN_PASSWORD_LENGTH = 12;

const common = new Set(COMMON_PASSWORDS.split("\n").filter(Boolean));

/** One of the bundled common passwords, in any case. */
export function isCommonPassword(password: string): boolean {
  return common.has(password.toLowerCase());
}

/** The password is the username or contains it, in any case. */
export function containsUsername(password: string, username: string): boolean {
  return username.length > 0 && password.toLowerCase().includes(username.toLowerCase());
}

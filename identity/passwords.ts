import { hash, verify } from "@node-rs/argon2";

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

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * A browser that has signed in to an account before carries a long-lived cookie naming it a known device of that
 * account. A right password from a known device passes while the account is locked for unknown devices, so
 * guessing a known username cannot lock its holder out (ADR 014). The cookie is an id and an HMAC over the
 * username and that id: it cannot be forged or moved to another account, and the database keeps nothing.
 */
export const KNOWN_DEVICE_COOKIE = "device";
export const KNOWN_DEVICE_TTL_MS = 365 * 24 * 60 * 60 * 1000;

const mac = (username: string, id: string, secret: string) => createHmac("sha256", secret).update(`known-device:${username}:${id}`).digest("base64url");

/** A new known-device cookie value for the account. */
export function issueKnownDevice(username: string, secret: string): string {
  const id = randomBytes(16).toString("base64url");
  return `${id}.${mac(username, id, secret)}`;
}

/** The device's id if the cookie value is a known device of this account, else null. */
export function knownDeviceId(value: string | null | undefined, username: string, secret: string): string | null {
  if (!value) return null;
  const [id, given] = value.split(".");
  if (!id || !given) return null;
  const expected = Buffer.from(mac(username, id, secret));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? id : null;
}

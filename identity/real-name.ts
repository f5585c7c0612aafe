// Real-name verification (实名认证): whether a legal name belongs to an identity number. In China a real-name
// service checks it (against the resident-ID or company registry, often with a bank-card or face check); the
// platform sees it only through this port. The built-in adapter is a simulation, for the default run and the
// tests: it calls no outside service and says so wherever a user sees its result (ADR 016).
import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client.ts";
import { bidderProfiles } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { countAttempt, type AttemptLimit } from "./attempt-limits.ts";
import { authorize } from "./permissions.ts";
import type { SessionUser } from "./sessions.ts";
import { validateCreditCode, validateResidentId } from "./validators.ts";

export interface RealNameQuery {
  kind: "person" | "company";
  /** A person's name, or a company's registered name. */
  name: string;
  /** Resident ID (person) or unified social credit code (company). */
  identityNumber: string;
}

export interface RealNameAnswer {
  outcome: "verified" | "refused";
  /** How the service checked, as stored with the profile and shown to the user ("simulated" for the simulation). */
  method: string;
}

/** The port: one question, one answer. An adapter that cannot reach its service throws; nothing is then stored. */
export interface RealNameVerifier {
  /** True for a service that checks nobody's real identity: every page that offers it says so. */
  readonly simulated: boolean;
  verify(query: RealNameQuery): Promise<RealNameAnswer>;
}

/** The name the simulation refuses, so that a refusal can be tried by hand and in tests: "no such person". */
export const SIMULATED_REFUSED_NAME = "查无此人";

/**
 * The simulated service, deterministic: it refuses an identity number whose check character is wrong (GB 11643,
 * GB 32100), or a name containing SIMULATED_REFUSED_NAME; it verifies everything else. It checks nobody's real
 * identity, which is why its method is "simulated" and the pages say so.
 */
export const simulatedRealNameVerifier: RealNameVerifier = {
  simulated: true,
  async verify(query) {
    const valid = query.kind === "person" ? validateResidentId(query.identityNumber).ok : validateCreditCode(query.identityNumber).ok;
    const refused = !valid || query.name.includes(SIMULATED_REFUSED_NAME);
    return { outcome: refused ? "refused" : "verified", method: "simulated" };
  },
};

/** Verification attempts per account and day: each one is a paid call to an outside service in production. */
export const REAL_NAME_LIMIT: AttemptLimit = { max: 5, windowMs: 24 * 60 * 60 * 1000 };

/**
 * A bidder has the name and identity number of their profile verified (C2: deposits and bids are in the real
 * name; C6: a bidder must be who they say). Verified: the time and method are stored and audited. Refused:
 * REAL_NAME_REFUSED, nothing stored. Already verified: answered as it stands, without asking the service again.
 */
export async function verifyRealName(db: Db, clock: Clock, verifier: RealNameVerifier, actor: SessionUser): Promise<{ verifiedAt: Date; method: string }> {
  authorize(actor, "account.real_name");
  const [profile] = await db.select().from(bidderProfiles).where(eq(bidderProfiles.userId, actor.id));
  if (!profile) throw new AppError("FORBIDDEN");
  if (profile.realNameVerifiedAt && profile.realNameMethod) return { verifiedAt: profile.realNameVerifiedAt, method: profile.realNameMethod };
  if (!(await countAttempt(db, clock, `real-name:user:${actor.id}`, REAL_NAME_LIMIT))) throw new AppError("RATE_LIMITED");
  const answer = await verifier.verify({ kind: profile.kind, name: profile.legalName, identityNumber: profile.identityNumber });
  if (answer.outcome !== "verified") throw new AppError("REAL_NAME_REFUSED");
  const verifiedAt = clock.now();
  await db.transaction(async (tx) => {
    await tx.update(bidderProfiles).set({ realNameVerifiedAt: verifiedAt, realNameMethod: answer.method }).where(eq(bidderProfiles.userId, actor.id));
    // The event names the account and the method, never the identity number.
    await appendAudit(tx, clock, { actorId: actor.id, action: "identity.real_name_verified", entityType: "user", entityId: actor.id, data: { method: answer.method } });
  });
  return { verifiedAt, method: answer.method };
}

/** The verified identity of an account, or null when it has none verified: what party links and P11 compare. */
export async function verifiedIdentityOf(db: DbOrTx, userId: string) {
  const [row] = await db
    .select({ kind: bidderProfiles.kind, identityNumber: bidderProfiles.identityNumber, verifiedAt: bidderProfiles.realNameVerifiedAt })
    .from(bidderProfiles)
    .where(eq(bidderProfiles.userId, userId));
  return row?.verifiedAt ? { kind: row.kind, identityNumber: row.identityNumber } : null;
}

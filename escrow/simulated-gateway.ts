import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { simCharges, simTransfers, simWebhooks } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { inParallel } from "./in-parallel.ts";
import type { CreatePaymentRequest, GatewayEvent, GatewayEventType, GatewayPayment, GatewayRecord, GatewayTransfer, PaymentGateway } from "./gateway.ts";

// The simulated gateway (ADR 019): the default for `npm start` and the browser tests. It behaves as a provider does —
// its own books (sim_* tables), a checkout page where the payer enters a card, and signed webhooks delivered to the
// platform, late or twice as a real network may — but moves no money, and every payment page says so.

/** Test cards, by number; any other number is declined as unknown. */
export const TEST_CARDS = {
  "4242424242424242": "succeeds",
  "4000000000000002": "declined",
  "4000000000003220": "needs_confirmation",
  "4000000000000341": "fails_later",
} as const;
export type TestCardBehaviour = (typeof TEST_CARDS)[keyof typeof TEST_CARDS];
/** The code the payer types at the confirmation step (a bank's SMS code, simulated). */
export const CONFIRMATION_CODE = "123456";
/** How long a "fails later" card stays processing before its failure arrives. */
export const FAILS_LATER_MS = 30_000;
export const SIGNATURE_HEADER = "simulated-signature";
/** Webhooks sent at once, as a provider's delivery workers do, and taken per round. */
const DELIVERY_CONCURRENCY = 4;
const DELIVERY_BATCH = 500;
/** A claimed webhook is due again after this if its deliverer did not record the answer. */
const CLAIM_SECONDS = 60;
/** A signature older than this is refused (replay of a captured request). */
const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

export type SimCharge = typeof simCharges.$inferSelect;

export interface SimulatedGateway extends PaymentGateway {
  /** The checkout page's "pay" button: the payer's card number and the name on it. */
  submitCard(chargeId: string, card: { number: string; holderName: string }): Promise<SimCharge>;
  /** The confirmation step of a card that needs one (3-D Secure, or a bank's SMS code). */
  confirm(chargeId: string, code: string): Promise<SimCharge>;
  charge(chargeId: string): Promise<SimCharge | null>;
  /** Sends every webhook that is due, signed; `send` answers whether the platform acknowledged it. */
  deliverDueWebhooks(send: (body: string, headers: Record<string, string>) => Promise<boolean>): Promise<number>;
}

/** Is this the simulated gateway (the checkout page and webhook delivery exist only for it)? */
export function isSimulatedGateway(gateway: PaymentGateway): gateway is SimulatedGateway {
  return gateway.id === "simulated" && "deliverDueWebhooks" in gateway;
}

/** A webhook the platform did not acknowledge is tried again later, each wait twice the last: 10 s, 20 s… up to an hour. */
export function redeliveryDelayMs(attempts: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

export function signPayload(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

function verifySignature(secret: string, body: string, header: string | undefined, now: Date): boolean {
  const parts = Object.fromEntries((header ?? "").split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now.getTime() - t * 1000) > SIGNATURE_TOLERANCE_MS) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${t}.${body}`).digest("hex"));
  const given = Buffer.from(parts.v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function toPayment(c: SimCharge, checkoutBase: string): GatewayPayment {
  const status = c.status === "refunded" ? "succeeded" : c.status;
  return { providerRef: c.id, status, amountFen: c.amountFen, redirectUrl: `${checkoutBase}/${c.id}`, holderName: c.holderName, failureCode: c.failureCode };
}

export function createSimulatedGateway(db: Db, clock: Clock, options: { secret: string; checkoutBase: string }): SimulatedGateway {
  const enqueue = async (on: Db | Tx, type: GatewayEventType, providerRef: string, fields: { reference: string | null; amountFen: bigint; holderName?: string | null; failureCode?: string | null }, delayMs = 0) => {
    const now = clock.now();
    const id = newId("evt");
    const payload = {
      id,
      type,
      providerRef,
      reference: fields.reference,
      amountFen: fields.amountFen.toString(),
      holderName: fields.holderName ?? null,
      failureCode: fields.failureCode ?? null,
      occurredAt: new Date(now.getTime() + delayMs).toISOString(),
    };
    await on.insert(simWebhooks).values({ id, type, payload, deliverAfter: new Date(now.getTime() + delayMs), createdAt: now });
  };
  const setCharge = async (id: string, values: Partial<SimCharge>) =>
    (await db.update(simCharges).set({ ...values, updatedAt: clock.now() }).where(eq(simCharges.id, id)).returning())[0]!;
  const chargeOrThrow = async (id: string) => {
    const [c] = await db.select().from(simCharges).where(eq(simCharges.id, id));
    if (!c) throw new AppError("NOT_FOUND");
    return c;
  };
  // One transaction, the charge locked: two calls with one key, or two refunds of one charge, cannot both pass.
  const moneyOut = (kind: "refund" | "payout", request: { idempotencyKey: string; amountFen: bigint; chargeId?: string; payeeName?: string }): Promise<GatewayTransfer> => {
    if (request.amountFen <= 0n) throw new AppError("INVALID_AMOUNT");
    return db.transaction(async (tx) => {
      const id = newId(kind === "refund" ? "re" : "po");
      const [created] = await tx
        .insert(simTransfers)
        .values({ id, idempotencyKey: request.idempotencyKey, kind, chargeId: request.chargeId ?? null, amountFen: request.amountFen, payeeName: request.payeeName ?? null, status: "succeeded", createdAt: clock.now() })
        .onConflictDoNothing({ target: simTransfers.idempotencyKey })
        .returning();
      if (!created) {
        const [existing] = await tx.select().from(simTransfers).where(eq(simTransfers.idempotencyKey, request.idempotencyKey));
        return { providerRef: existing!.id, status: existing!.status, amountFen: existing!.amountFen };
      }
      if (request.chargeId) {
        const [refunded] = await tx
          .update(simCharges)
          .set({ refundedFen: sql`${simCharges.refundedFen} + ${request.amountFen}`, updatedAt: clock.now() })
          .where(and(eq(simCharges.id, request.chargeId), eq(simCharges.status, "succeeded"), sql`${simCharges.refundedFen} + ${request.amountFen} <= ${simCharges.amountFen}`))
          .returning({ id: simCharges.id });
        if (!refunded) {
          await chargeOrThrow(request.chargeId);
          throw new AppError("REFUND_EXCEEDS_PAYMENT");
        }
      }
      // The bank's answer comes later, by webhook, as with a real provider.
      await enqueue(tx, kind === "refund" ? "refund.succeeded" : "payout.succeeded", id, { reference: request.idempotencyKey, amountFen: request.amountFen });
      return { providerRef: id, status: "pending" as const, amountFen: request.amountFen };
    });
  };

  /**
   * Takes the due webhooks for one delivery round, oldest first, counting the attempt and setting the next try as if
   * it fails: a second deliverer (another node) skips them, and a deliverer that dies leaves them due again then.
   */
  const claimDueWebhooks = async () => {
    const rows = await db.execute<{ id: string; payload: unknown; attempts: number }>(sql`
      update sim_webhooks w set attempts = w.attempts + 1, deliver_after = ${clock.now().toISOString()}::timestamptz + make_interval(secs => ${CLAIM_SECONDS})
      from (
        select id from sim_webhooks where delivered_at is null and deliver_after <= ${clock.now().toISOString()}::timestamptz
        order by deliver_after, created_at limit ${DELIVERY_BATCH} for update skip locked
      ) due
      where w.id = due.id
      returning w.id, w.payload, w.attempts`);
    return [...rows];
  };

  return {
    id: "simulated",
    simulated: true,

    async createPayment(request: CreatePaymentRequest) {
      if (request.amountFen <= 0n) throw new AppError("INVALID_AMOUNT");
      const now = clock.now();
      await db
        .insert(simCharges)
        .values({
          id: newId("ch"),
          idempotencyKey: request.idempotencyKey,
          amountFen: request.amountFen,
          reference: request.reference,
          description: request.description,
          status: "requires_payment_method",
          returnUrl: request.returnUrl,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: simCharges.idempotencyKey });
      const [c] = await db.select().from(simCharges).where(eq(simCharges.idempotencyKey, request.idempotencyKey));
      return toPayment(c!, options.checkoutBase);
    },

    async getPayment(providerRef) {
      const c = await chargeOrThrow(providerRef);
      // A "fails later" card's failure is the charge's state once its time has come, as a provider would report it.
      const failed = c.status === "processing" && c.updatedAt.getTime() + FAILS_LATER_MS <= clock.now().getTime();
      return toPayment(failed ? { ...c, status: "failed" } : c, options.checkoutBase);
    },

    async submitCard(chargeId, card) {
      const c = await chargeOrThrow(chargeId);
      if (c.status !== "requires_payment_method") return c;
      const number = card.number.replace(/[\s-]/g, "");
      const behaviour: TestCardBehaviour = TEST_CARDS[number as keyof typeof TEST_CARDS] ?? "declined";
      const base = { cardLast4: number.slice(-4), holderName: card.holderName.trim() };
      const fields = { reference: c.reference, amountFen: c.amountFen, holderName: base.holderName };
      switch (behaviour) {
        case "succeeds":
          await enqueue(db, "payment.succeeded", c.id, fields);
          return setCharge(c.id, { ...base, status: "succeeded" });
        case "needs_confirmation":
          await enqueue(db, "payment.requires_action", c.id, fields);
          return setCharge(c.id, { ...base, status: "requires_action" });
        case "fails_later":
          await enqueue(db, "payment.processing", c.id, fields);
          await enqueue(db, "payment.failed", c.id, { ...fields, failureCode: "processing_error" }, FAILS_LATER_MS);
          return setCharge(c.id, { ...base, status: "processing", failureCode: "processing_error" });
        case "declined":
          await enqueue(db, "payment.failed", c.id, { ...fields, failureCode: "card_declined" });
          return setCharge(c.id, { ...base, status: "failed", failureCode: "card_declined" });
      }
    },

    async confirm(chargeId, code) {
      const c = await chargeOrThrow(chargeId);
      if (c.status !== "requires_action") return c;
      if (code.trim() !== CONFIRMATION_CODE) throw new AppError("PAYMENT_CONFIRMATION_FAILED");
      await enqueue(db, "payment.succeeded", c.id, { reference: c.reference, amountFen: c.amountFen, holderName: c.holderName });
      return setCharge(c.id, { status: "succeeded" });
    },

    charge: async (chargeId) => (await db.select().from(simCharges).where(eq(simCharges.id, chargeId)))[0] ?? null,

    refund: (request) => moneyOut("refund", { idempotencyKey: request.idempotencyKey, amountFen: request.amountFen, chargeId: request.providerRef }),
    payout: (request) => moneyOut("payout", { idempotencyKey: request.idempotencyKey, amountFen: request.amountFen, payeeName: request.payeeName }),

    parseWebhook(rawBody, headers) {
      const body = rawBody.toString("utf8");
      const header = headers[SIGNATURE_HEADER];
      if (!verifySignature(options.secret, body, Array.isArray(header) ? header[0] : header, clock.now())) throw new AppError("WEBHOOK_SIGNATURE_INVALID");
      const p = JSON.parse(body) as Record<string, string | null>;
      return {
        id: p.id!,
        type: p.type as GatewayEventType,
        providerRef: p.providerRef!,
        reference: p.reference ?? null,
        amountFen: BigInt(p.amountFen!),
        holderName: p.holderName ?? null,
        failureCode: p.failureCode ?? null,
        occurredAt: new Date(p.occurredAt!),
      } satisfies GatewayEvent;
    },

    async deliverDueWebhooks(send) {
      const claimed = await claimDueWebhooks();
      const delivered: string[] = [];
      await inParallel(claimed, DELIVERY_CONCURRENCY, async (w) => {
        const body = JSON.stringify(w.payload);
        let ok = false;
        try {
          ok = await send(body, { "content-type": "application/json", [SIGNATURE_HEADER]: signPayload(options.secret, body, clock.now()) });
        } catch {
          ok = false;
        }
        if (ok) delivered.push(w.id);
        else await db.update(simWebhooks).set({ deliverAfter: new Date(clock.now().getTime() + redeliveryDelayMs(w.attempts)) }).where(eq(simWebhooks.id, w.id));
      });
      if (delivered.length > 0) await db.update(simWebhooks).set({ deliveredAt: clock.now() }).where(inArray(simWebhooks.id, delivered));
      return delivered.length;
    },

    async listRecords(since) {
      const charges = await db.select().from(simCharges).where(gte(simCharges.createdAt, since));
      const transfers = await db.select().from(simTransfers).where(gte(simTransfers.createdAt, since));
      return [
        ...charges.map((c): GatewayRecord => ({ providerRef: c.id, kind: "payment", status: c.status, amountFen: c.amountFen, reference: c.reference })),
        ...transfers.map((t): GatewayRecord => ({ providerRef: t.id, kind: t.kind, status: t.status, amountFen: t.amountFen, reference: t.idempotencyKey })),
      ];
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents, distributionLines, distributions, ledgerAccounts, ledgerTransfers, moneyOut } from "../../db/schema/index.ts";
import { approveDistribution, caseDistributions, caseLedger, deliverInProcess, distributionDraftSchema, draftDistribution as draftParsed, runEscrowClock, verifyLedger } from "../../escrow/index.ts";
import type { SessionUser } from "../../identity/index.ts";
import { parseOrThrow } from "../../core/validation.ts";
import { caseParties } from "../../auction/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { makeCourt, makePublishedLot } from "../fixtures/auction.ts";
import { makeSoldLot, makeSoldLotWithBalancePaid, payBalance } from "../fixtures/escrow.ts";
import { codeOf } from "../support/refusals.ts";

const DAY = 24 * 60 * 60 * 1000;
const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const APPLICANTS = [
  { name: "甲银行股份有限公司", identityNumber: "91110000100000000X", claimFen: 50_000_000n },
  { name: "乙贸易有限公司", identityNumber: "91110000200000000X", claimFen: 30_000_000n },
];

async function soldCase() {
  clock.set(new Date("2026-12-01T02:00:00Z"));
  const sale = await makeSoldLotWithBalancePaid(database.db, clock, { applicants: APPLICANTS, debtors: [{ name: "丙", identityNumber: "110101199001011234" }] });
  const parties = await database.db.select().from(caseParties).where(eq(caseParties.caseId, sale.caseId));
  const applicant = (name: string) => parties.find((p) => p.name === name)!.id;
  return { ...sale, bank: applicant(APPLICANTS[0]!.name), trader: applicant(APPLICANTS[1]!.name) };
}

/** The draft as a form or API client sends it (fen as digits), parsed as the routes parse it. */
const draftDistribution = (db: Database["db"], c: TestClock, actor: SessionUser, caseId: string, raw: unknown) => draftParsed(db, c, actor, caseId, parseOrThrow(distributionDraftSchema, raw));

const linesOf = (distributionId: string) => database.db.select().from(distributionLines).where(eq(distributionLines.distributionId, distributionId)).orderBy(distributionLines.position);

describe("distributing a case's escrow (H3, H5, H8, P9)", () => {
  it("H3, P9: the draft allocates what the escrow holds: costs first, the secured creditor, then ordinary creditors pro rata, the rest to the debtor", async () => {
    const { db } = database;
    const sale = await soldCase();
    const held = (await caseDistributions(db, sale.judge, sale.caseId)).escrow.heldFen;
    expect(held).toBe(sale.priceFen);
    const { id } = await draftDistribution(db, clock, sale.judge, sale.caseId, {
      costs: [{ name: "评估费", claimFen: "1000000" }],
      creditors: [
        { partyId: sale.trader, claimFen: "30000000000" },
        { name: "丁抵押权人", claimFen: "20000000", securedRank: 1 },
        { partyId: sale.bank, claimFen: "50000000000" },
      ],
    });
    const lines = await linesOf(id);
    expect(lines.map((l) => [l.payeeKind, l.claimFen])).toEqual([
      ["court_costs", 1_000_000n],
      ["creditor", 30_000_000_000n],
      ["secured_creditor", 20_000_000n],
      ["creditor", 50_000_000_000n],
    ]);
    // The price does not cover the ordinary claims (8 亿元 claimed): they share what is left 3 : 5, to the fen.
    const left = held - 21_000_000n;
    expect(left < 80_000_000_000n).toBe(true);
    const [, trader, , bank] = lines.map((l) => l.amountFen);
    expect([lines[0]!.amountFen, lines[2]!.amountFen, trader! + bank!]).toEqual([1_000_000n, 20_000_000n, left]);
    expect(trader! * 8n - left * 3n).toBeGreaterThan(-8n);
    expect(trader! * 8n - left * 3n).toBeLessThan(8n);
    expect(lines.reduce((s, l) => s + l.amountFen, 0n)).toBe(held);
    expect((await db.select().from(distributions).where(eq(distributions.id, id)))[0]).toMatchObject({ status: "draft", totalFen: held });
  });

  it("H3: with claims below what is held, the surplus is the debtor's line; drafting again replaces the draft (one at a time)", async () => {
    const { db } = database;
    const sale = await soldCase();
    const first = await draftDistribution(db, clock, sale.judge, sale.caseId, { creditors: [{ partyId: sale.bank, claimFen: "1000" }] });
    const second = await draftDistribution(db, clock, sale.judge, sale.caseId, { costs: [{ name: "执行费", claimFen: "500" }], creditors: [{ partyId: sale.bank, claimFen: "1000" }] });
    expect(second.id).toBe(first.id);
    expect(await db.$count(distributions, and(eq(distributions.caseId, sale.caseId), eq(distributions.status, "draft")))).toBe(1);
    const lines = await linesOf(second.id);
    expect(lines.map((l) => [l.payeeKind, l.payeeName, l.amountFen])).toEqual([
      ["court_costs", "执行费", 500n],
      ["creditor", APPLICANTS[0]!.name, 1000n],
      ["debtor_surplus", "丙", sale.priceFen - 1500n],
    ]);
  });

  it("H8, H5: approval moves each share to its payee and requests its payout, due 30 days later; the payouts go out and land; the distribution is paid; the ledger balances", async () => {
    const { db } = database;
    const sale = await soldCase();
    const { id } = await draftDistribution(db, clock, sale.judge, sale.caseId, { costs: [{ name: "执行费", claimFen: "500000" }], creditors: [{ partyId: sale.bank, claimFen: "50000000" }] });
    clock.advance(60_000);
    const approvedAt = clock.now();
    // A double click: two approvals at once make one.
    const [a, b] = await Promise.all([0, 1].map(() => approveDistribution(db, clock, sale.judge, sale.caseId, id, sale.gateway.id)));
    expect(a!.status).toBe("approved");
    expect(b!.payBy).toEqual(a!.payBy);
    expect(a!.payBy!.getTime() - approvedAt.getTime()).toBe(30 * DAY);
    const again = await approveDistribution(db, clock, sale.judge, sale.caseId, id, sale.gateway.id);
    expect(again.approvedAt).toEqual(approvedAt);
    const lines = await linesOf(id);
    const payouts = await db.select().from(moneyOut).where(inArray(moneyOut.distributionLineId, lines.map((l) => l.id)));
    expect(payouts).toHaveLength(3);
    expect(payouts.every((p) => p.status === "pending")).toBe(true);
    expect(await db.$count(ledgerTransfers, and(eq(ledgerTransfers.caseId, sale.caseId), eq(ledgerTransfers.purpose, "distribution")))).toBe(3);
    expect(await db.$count(auditEvents, and(eq(auditEvents.action, "escrow.distribution_approved"), eq(auditEvents.entityId, id)))).toBe(1);
    const [escrow] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.key, `case_escrow:${sale.caseId}`));
    expect(escrow!.creditsPostedFen - escrow!.debitsPostedFen).toBe(0n);

    await runEscrowClock(db, clock, sale.gateway);
    expect((await caseDistributions(db, sale.clerk, sale.caseId)).distributions[0]!.lines.map((l) => l.payout?.status)).toEqual(["sent", "sent", "sent"]);
    await deliverInProcess(db, clock, sale.gateway);
    const view = await caseDistributions(db, sale.clerk, sale.caseId);
    expect(view.distributions[0]).toMatchObject({ id, status: "paid" });
    expect(view.distributions[0]!.lines.map((l) => l.payout?.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(await db.$count(auditEvents, and(eq(auditEvents.action, "escrow.distribution_paid"), eq(auditEvents.entityId, id)))).toBe(1);
    const ledger = await caseLedger(db, sale.clerk, sale.caseId);
    expect(ledger.accounts.find((x) => x.kind === "case_escrow")!.balanceFen).toBe(0n);
    expect(ledger.accounts.filter((x) => x.kind !== "case_escrow" && x.kind !== "deposit").every((x) => x.balanceFen === 0n)).toBe(true);
    const verified = await verifyLedger(db);
    expect(verified.differences).toEqual([]);
  });

  it("H8: the payout deadline is 30 days from approval to the millisecond", async () => {
    const { db } = database;
    const sale = await soldCase();
    const { id } = await draftDistribution(db, clock, sale.judge, sale.caseId, { creditors: [{ partyId: sale.bank, claimFen: "100" }] });
    clock.set(new Date("2027-01-15T16:00:00.123Z"));
    const approved = await approveDistribution(db, clock, sale.judge, sale.caseId, id, sale.gateway.id);
    expect(approved.payBy).toEqual(new Date("2027-02-14T16:00:00.123Z"));
  });

  it("only the case's court's judges draft and approve; clerks read; a creditor who is not an applicant of the case is refused; refusals write nothing", async () => {
    const { db } = database;
    const sale = await soldCase();
    const other = await makeCourt(db, clock);
    const audits = await db.$count(auditEvents);
    expect(await codeOf(draftDistribution(db, clock, sale.clerk, sale.caseId, { creditors: [{ partyId: sale.bank, claimFen: "100" }] }))).toBe("FORBIDDEN");
    expect(await codeOf(draftDistribution(db, clock, other.judge, sale.caseId, { creditors: [{ partyId: sale.bank, claimFen: "100" }] }))).toBe("FORBIDDEN");
    expect(await codeOf(draftDistribution(db, clock, sale.judge, sale.caseId, { creditors: [{ partyId: crypto.randomUUID(), claimFen: "100" }] }))).toBe("NOT_A_CASE_APPLICANT");
    expect(await db.$count(distributions, eq(distributions.caseId, sale.caseId))).toBe(0);
    expect(await db.$count(auditEvents)).toBe(audits);
    const { id } = await draftDistribution(db, clock, sale.judge, sale.caseId, { creditors: [{ partyId: sale.bank, claimFen: "100" }] });
    expect(await codeOf(approveDistribution(db, clock, sale.clerk, sale.caseId, id, sale.gateway.id))).toBe("FORBIDDEN");
    expect(await codeOf(approveDistribution(db, clock, sale.judge, sale.caseId, crypto.randomUUID(), sale.gateway.id))).toBe("NOT_FOUND");
    expect((await caseDistributions(db, sale.clerk, sale.caseId)).distributions[0]!.status).toBe("draft");
  });

  it("H3: nothing is distributed from an empty escrow, nor while a buyer's balance is still due", async () => {
    const { db } = database;
    const empty = await makePublishedLot(db, clock);
    expect(await codeOf(draftDistribution(db, clock, empty.judge, empty.caseId, { creditors: [{ name: "某", claimFen: "100" }] }))).toBe("NOTHING_TO_DISTRIBUTE");
    const sale = await makeSoldLot(db, clock);
    expect((await caseDistributions(db, sale.judge, sale.caseId)).escrow.heldFen).toBe(7_000_000n);
    expect(await codeOf(draftDistribution(db, clock, sale.judge, sale.caseId, { creditors: [{ name: "某", claimFen: "100" }] }))).toBe("BALANCE_STILL_DUE");
    await payBalance(db, clock, sale);
    const { id } = await draftDistribution(db, clock, sale.judge, sale.caseId, { creditors: [{ name: "某", claimFen: "100" }] });
    expect(id).toBeTruthy();
  });
});

import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { TestClock } from "../core/clock.ts";
import { users, type SessionUser } from "../identity/index.ts";
import {
  addParty,
  applyForLot,
  closeLot,
  createAsset,
  createCase,
  createLotDraft,
  holdLot,
  issuePartyLinkCode,
  lots,
  placeBid,
  publishLot,
  recordReferencePrice,
  redeemPartyLinkCode,
  reviseLotDraft,
  silentPublisher,
} from "../auction/index.ts";
import { approveDistribution, deliverInProcess, draftDistribution, payBalanceWithTestCard, payDepositWithTestCard, runEscrowClock, settleLotDeposits, type SimulatedGateway } from "../escrow/index.ts";
import { DEMO_PARTIES } from "./demo-seed.ts";
import { simulatedGateway } from "./payment-gateway.ts";

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

async function account(db: Db, username: string): Promise<SessionUser> {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  return { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, courtId: u!.courtId, agencyId: u!.agencyId, platformId: u!.platformId, sessionId: "demo" };
}

interface DemoLot {
  caseNumber: string;
  category: "residential" | "commercial" | "vehicle";
  title: string;
  description: string;
  referenceFen: bigint;
  incrementFen: bigint;
  /** When the announcement was published, relative to now. */
  announcedAgoMs: number;
  /** When bidding starts, relative to now (negative: already started). */
  startsInMs: number;
  hours: number;
  /** Bids placed by the demo bidders as time passed (in yuan increments over the start), then closed. */
  bids?: { bidder: string; increments: bigint }[];
  /** Suspended by the judge this long ago, with this reason (G1, P15). */
  hold?: { agoMs: number; reason: string };
  /** No bid: the lot fails at its close (F6), and the judge publishes the drafted second auction 3 days later. */
  failsToSecondRound?: boolean;
}

const LOTS: DemoLot[] = [
  {
    caseNumber: "（2026）京0105执1234号",
    category: "residential",
    title: "北京市朝阳区建国路88号院3号楼2单元501室住宅",
    description: "建筑面积89.5平方米，两室一厅，2008年建成，产权清晰。",
    referenceFen: 580_000_000n,
    incrementFen: 500_000n,
    announcedAgoMs: 31 * DAY,
    startsInMs: -HOUR,
    hours: 48,
  },
  {
    caseNumber: "（2026）京0105执2345号",
    category: "vehicle",
    title: "2019年款大众帕萨特小型轿车一辆（京N·A1234）",
    description: "行驶里程约8.2万公里，车况良好，停放于法院停车场。",
    referenceFen: 9_800_000n,
    incrementFen: 100_000n,
    announcedAgoMs: 0,
    startsInMs: 16 * DAY,
    hours: 24,
  },
  {
    caseNumber: "（2026）京0105执3456号",
    category: "commercial",
    title: "北京市朝阳区望京街10号商铺",
    description: "建筑面积120平方米，临街一层，现空置。",
    referenceFen: 320_000_000n,
    incrementFen: 1_000_000n,
    announcedAgoMs: 40 * DAY,
    startsInMs: -8 * DAY,
    hours: 24,
    bids: [
      { bidder: "bidder2", increments: 0n },
      { bidder: "bidder3", increments: 1n },
      { bidder: "bidder2", increments: 3n },
    ],
  },
  {
    caseNumber: "（2026）京0105执5678号",
    category: "vehicle",
    title: "2021年款丰田凯美瑞小型轿车一辆（京Q·B5678）",
    description: "行驶里程约4.5万公里，停放于法院停车场。",
    referenceFen: 15_600_000n,
    incrementFen: 100_000n,
    announcedAgoMs: 20 * DAY,
    startsInMs: -3 * HOUR,
    hours: 24,
    hold: { agoMs: HOUR, reason: "案外人对本车提出执行异议，本院正在审查。" },
  },
  {
    caseNumber: "（2026）京0105执6789号",
    category: "commercial",
    title: "北京市朝阳区酒仙桥路12号写字楼1层101室",
    description: "建筑面积210平方米，框架结构，现空置。",
    referenceFen: 460_000_000n,
    incrementFen: 1_000_000n,
    announcedAgoMs: 40 * DAY,
    startsInMs: -6 * DAY,
    hours: 24,
    failsToSecondRound: true,
  },
];

/**
 * Demo lots for `npm start`: one in bidding, one announced, one sold (to bidder2), paid for and distributed, one
 * suspended by the judge in its bidding, and one that failed with its second auction announced. Made
 * through the same use cases as real lots, with a clock set back to when each step would have happened, so every rule
 * holds. Seeded before the server starts, so nobody watches: bids and closes go to the silent publisher.
 */
export async function seedDemoLots(db: Db, sessionSecret: string): Promise<void> {
  const judge = await account(db, "judge.chaoyang");
  const clerk = await account(db, "clerk.chaoyang");
  const now = Date.now();
  for (const demo of LOTS) {
    const announced = now - demo.announcedAgoMs;
    const clock = new TestClock(new Date(announced - 5 * DAY));
    const gateway = simulatedGateway(db, clock, sessionSecret);
    const theCase = await createCase(db, clock, judge, { caseNumber: demo.caseNumber, enforcementBasis: "（2025）京0105民初8888号民事判决书" });
    const applicant = await addParty(db, clock, clerk, theCase.id, { role: "applicant", name: "某银行股份有限公司北京分行", identityNumber: "91350100M000100Y43", claimFen: null });
    const asset = await createAsset(db, clock, clerk, theCase.id, {
      category: demo.category,
      regionCode: "110105",
      title: demo.title,
      description: demo.description,
      encumbrances: "设有抵押权一项，拍卖成交后依法涂销。",
      occupancy: "空置，法院持有钥匙。",
      lease: "无租赁。",
      taxes: "无欠缴税费。",
      knownDefects: "未发现其他瑕疵，以现场查看为准。",
      seizedAt: new Date(announced - 20 * DAY),
    });
    await recordReferencePrice(db, clock, judge, asset.id, {
      method: "negotiation",
      amountFen: demo.referenceFen,
      documentTitle: "当事人议价确认书",
      validFrom: new Date(announced - 6 * DAY),
      validUntil: new Date(announced + 300 * DAY),
    });
    const startingPriceFen = (demo.referenceFen * 70n) / 100n;
    const biddingStartsAt = new Date(now + demo.startsInMs);
    clock.set(new Date(announced));
    const lot = await createLotDraft(db, clock, clerk, {
      assetId: asset.id,
      title: demo.title,
      startingPriceFen,
      depositFen: startingPriceFen / 10n,
      incrementFen: demo.incrementFen,
      biddingStartsAt,
      biddingEndsAt: new Date(biddingStartsAt.getTime() + demo.hours * HOUR),
      balanceDueDays: 10,
      panelDecision: "本院合议庭评议决定",
      depositAccount: "北京市朝阳区人民法院网络司法拍卖专用账户",
      transferTaxes: "过户所涉税费由买卖双方按照法律规定各自承担。",
      courtContact: "执行局，010-65000000",
      partiesNotifiedAt: new Date(announced - 4 * DAY),
    });
    // The minute sweep closes these when their time comes, like any lot whose job was lost.
    await publishLot(db, clock, judge, lot.id);
    if (demo.hold) {
      clock.set(new Date(now - demo.hold.agoMs));
      await holdLot(db, clock, silentPublisher, judge, lot.id, { kind: "suspend", reason: demo.hold.reason });
    }
    if (demo.failsToSecondRound) {
      clock.set(new Date(biddingStartsAt.getTime() + demo.hours * HOUR));
      await publishSecondRound(db, clock, judge, lot.id);
      continue;
    }
    if (!demo.bids) continue;
    for (const username of new Set(demo.bids.map((b) => b.bidder))) {
      const bidder = await account(db, username);
      await applyForLot(db, clock, bidder, lot.id, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true });
      await payDepositWithTestCard(db, clock, gateway, bidder, lot.id);
    }
    clock.set(biddingStartsAt);
    for (const [i, b] of demo.bids.entries()) {
      clock.advance(HOUR);
      await placeBid(db, clock, silentPublisher, await account(db, b.bidder), lot.id, { amountFen: startingPriceFen + b.increments * demo.incrementFen, clientBidId: `demo-bid-${i}-${lot.id}` });
    }
    clock.set(new Date(biddingStartsAt.getTime() + demo.hours * HOUR));
    await closeLot(db, clock, silentPublisher, lot.id);
    // As the close job would: losers' deposits released (F1), the winner's moved to the case's escrow (F2).
    await settleLotDeposits(db, clock, lot.id);
    await deliverInProcess(db, clock, gateway);
    await finishSale(db, clock, gateway, { judge, winner: await account(db, demo.bids.at(-1)!.bidder), lotId: lot.id, caseId: theCase.id, applicantId: applicant.id });
  }
  await seedAwaitingPrice(db, judge, clerk, now);
}

/**
 * F6, B6, B10: the lot fails at its close with no bid; the court notifies the parties of the drafted second auction
 * (80% of the start) the same day, and publishes it 3 days later.
 */
async function publishSecondRound(db: Db, clock: TestClock, judge: SessionUser, lotId: string) {
  await closeLot(db, clock, silentPublisher, lotId);
  const [second] = await db.select().from(lots).where(eq(lots.previousLotId, lotId));
  const { startingPriceFen, depositFen, incrementFen, biddingStartsAt, biddingEndsAt, balanceDueDays } = second!;
  await reviseLotDraft(db, clock, judge, second!.id, { startingPriceFen, depositFen, incrementFen, biddingStartsAt, biddingEndsAt, balanceDueDays, partiesNotifiedAt: clock.now() });
  clock.advance(3 * DAY);
  await publishLot(db, clock, judge, second!.id);
}

/**
 * The money of the sold demo lot, to its end (F3, H3): two days after the close the buyer pays the balance; the judge
 * distributes the escrow (costs first, then the applicant's claim, the rest to the debtor) and the payouts are confirmed
 * by the simulated bank, so the case's fund flow shows every step from the bidders' cards to the creditor.
 */
async function finishSale(db: Db, clock: TestClock, gateway: SimulatedGateway, sale: { judge: SessionUser; winner: SessionUser; lotId: string; caseId: string; applicantId: string }) {
  clock.advance(2 * DAY);
  await payBalanceWithTestCard(db, clock, gateway, sale.winner, sale.lotId);
  clock.advance(DAY);
  const draft = await draftDistribution(db, clock, sale.judge, sale.caseId, {
    costs: [{ name: "评估及拍卖辅助费用", claimFen: 1_200_000n }],
    creditors: [{ partyId: sale.applicantId, claimFen: 180_000_000n }],
  });
  await approveDistribution(db, clock, sale.judge, sale.caseId, draft.id, gateway.id);
  // The escrow clock sends the payouts; the bank confirms them by webhook; the next tick marks the distribution paid.
  for (let tick = 0; tick < 3; tick++) {
    clock.advance(60_000);
    await runEscrowClock(db, clock, gateway);
    await deliverInProcess(db, clock, gateway);
  }
}

/**
 * A case whose flat awaits its reference price (seized 10 days ago, so within A1's 30 days), with an applicant
 * and a debtor who sign in as party1 and party2, linked to them by the court: the court can start a negotiation, an inquiry or an appraisal.
 */
async function seedAwaitingPrice(db: Db, judge: SessionUser, clerk: SessionUser, now: number): Promise<void> {
  const clock = new TestClock(new Date(now - 10 * DAY));
  const theCase = await createCase(db, clock, judge, { caseNumber: "（2026）京0105执4567号", enforcementBasis: "（2025）京0105民初9999号民事判决书" });
  for (const p of DEMO_PARTIES) {
    const party = await addParty(db, clock, clerk, theCase.id, { role: p.role, name: p.name, identityNumber: p.identityNumber, claimFen: p.role === "applicant" ? 120_000_000n : null });
    // The court links each party's account as it would anyone's: a one-time code, redeemed by the party (ADR 016).
    const { code } = await issuePartyLinkCode(db, clock, clerk, party.id);
    await redeemPartyLinkCode(db, clock, await account(db, p.username), { code });
  }
  await createAsset(db, clock, clerk, theCase.id, {
    category: "residential",
    regionCode: "110105",
    title: "北京市朝阳区望京西园二区5号楼1201室住宅",
    description: "建筑面积96.3平方米，三室一厅，2005年建成，产权登记在被执行人吴海燕名下。",
    encumbrances: "设有抵押权一项（某银行股份有限公司北京分行）。",
    occupancy: "被执行人及其家属居住。",
    lease: "无租赁。",
    taxes: "欠缴物业费约6,000元。",
    knownDefects: "卫生间有渗水痕迹。",
    seizedAt: new Date(now - 10 * DAY),
  });
}

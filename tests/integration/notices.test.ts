// Notices and their delivery (ADR 023): outbid alerts, follower reminders, won/lost and deposit messages, court
// deadlines; the outbox sends each once whatever the number of senders, retries failures, and e-mails through a real
// SMTP server (Mailpit); the notification centre and the bell show them live.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { io as connectSocket, type Socket } from "socket.io-client";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { accountNotices, noticeDeliveries, users } from "../../db/schema/index.ts";
import { ENDS_SOON_MS, placeBid, sendReminders, setFollowing, silentPublisher, STARTS_SOON_MS } from "../../auction/index.ts";
import { accountNoticesOf, deliverPendingNotices, DELIVERY_MAX_ATTEMPTS, markNoticesRead, type ClaimedDelivery, type NoticeSenders } from "../../identity/index.ts";
import { noticeMessage } from "../../server/notice-mail.ts";
import { noticeSenders } from "../../server/notice-senders.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { makeActiveBidder, makeBidder, makePublishedLot, makeSoldLot } from "../fixtures/auction.ts";
import { createTestDatabase } from "../support/database.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, signedInVisitor } from "../support/http.ts";
import { MAILPIT_SMTP_URL, mailpitAnswers, messageText, waitForMail } from "../support/mailpit.ts";
import { pino } from "pino";

const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const kinds = async (userId: string) => (await accountNoticesOf(database.db, userId)).map((n) => n.kind);
const bid = (bidder: Awaited<ReturnType<typeof makeActiveBidder>>, lotId: string, amountFen: bigint) =>
  placeBid(database.db, clock, silentPublisher, bidder, lotId, { amountFen, clientBidId: crypto.randomUUID() });
const setEmail = (userId: string, email: string) => database.db.update(users).set({ email }).where(eq(users.id, userId));
async function channelsOf(userId: string, kind: (typeof accountNotices.$inferSelect)["kind"]) {
  const rows = await database.db
    .select({ channel: noticeDeliveries.channel })
    .from(noticeDeliveries)
    .innerJoin(accountNotices, eq(accountNotices.id, noticeDeliveries.noticeId))
    .where(and(eq(accountNotices.userId, userId), eq(accountNotices.kind, kind)));
  return rows.map((r) => r.channel).sort();
}

/** Records what each channel was asked to send; `fail` makes a channel's sends fail. */
function recordingSenders(fail: Partial<Record<"site" | "email" | "sms", boolean>> = {}) {
  const sent: ClaimedDelivery[] = [];
  const channel = (name: "site" | "email" | "sms") => async (deliveries: readonly ClaimedDelivery[]) => {
    await new Promise((r) => setTimeout(r, 5)); // as a real send takes a moment, so two dispatchers overlap
    if (fail[name]) return deliveries.map(() => ({ status: "rejected" as const, reason: new Error("mail server down") }));
    sent.push(...deliveries);
    return deliveries.map(() => ({ status: "fulfilled" as const, value: null }));
  };
  const senders: NoticeSenders = { site: channel("site"), email: channel("email"), sms: channel("sms") };
  return { sent, senders };
}

describe("outbid alerts (D5)", () => {
  it("D5: a topped bidder is alerted in the bid's transaction, once until they read it, and the leader is not", async () => {
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(database.db, clock);
    const [a, b] = [await makeActiveBidder(database.db, clock, lot.lotId), await makeActiveBidder(database.db, clock, lot.lotId)];
    await setEmail(a.id, `a-${a.id}@example.test`);
    clock.set(lot.biddingStartsAt);
    await bid(a, lot.lotId, lot.startingPriceFen);
    expect(await kinds(a.id)).not.toContain("outbid");
    await bid(b, lot.lotId, lot.startingPriceFen + 100_000n);
    expect((await kinds(a.id)).filter((k) => k === "outbid")).toHaveLength(1);
    expect(await kinds(b.id)).not.toContain("outbid");
    // Site and e-mail (a has an address); an outbid alert is never a text message.
    expect(await channelsOf(a.id, "outbid")).toEqual(["email", "site"]);

    // a tops b, b tops a again: a's unread alert stands, no second one.
    await bid(a, lot.lotId, lot.startingPriceFen + 200_000n);
    await bid(b, lot.lotId, lot.startingPriceFen + 300_000n);
    expect((await kinds(a.id)).filter((k) => k === "outbid")).toHaveLength(1);
    expect((await kinds(b.id)).filter((k) => k === "outbid")).toHaveLength(1);
    // Once read, the next outbid alerts again.
    await markNoticesRead(database.db, clock, a.id);
    await bid(a, lot.lotId, lot.startingPriceFen + 400_000n);
    await bid(b, lot.lotId, lot.startingPriceFen + 500_000n);
    expect((await kinds(a.id)).filter((k) => k === "outbid")).toHaveLength(2);
  });
});

describe("reminders to followers (P4)", () => {
  it("P4: a follower is reminded once a day before bidding starts and once an hour before it ends; the message names the lot and nobody who registered", async () => {
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(database.db, clock);
    const follower = await makeBidder(database.db, clock);
    const bidder = await makeActiveBidder(database.db, clock, lot.lotId);
    await setFollowing(database.db, clock, follower, lot.lotId, true);
    await sendReminders(database.db, clock);
    expect(await kinds(follower.id)).toEqual([]);

    clock.set(new Date(lot.biddingStartsAt.getTime() - STARTS_SOON_MS + 60_000));
    await sendReminders(database.db, clock);
    await sendReminders(database.db, clock);
    expect(await kinds(follower.id)).toEqual(["lot_starts_soon"]);
    // Registering did not make the bidder a follower: they get no reminder (and nobody learns they registered).
    expect(await kinds(bidder.id)).not.toContain("lot_starts_soon");

    clock.set(new Date(lot.closesAt.getTime() - ENDS_SOON_MS + 60_000));
    await sendReminders(database.db, clock);
    await sendReminders(database.db, clock);
    expect(await kinds(follower.id)).toEqual(["lot_ends_soon", "lot_starts_soon"]);
    // The reminder's words: the lot's title and address, no bidder code, no count of registrants.
    const text = noticeMessage("lot_ends_soon", { title: "某房产", url: `https://site/lots/${lot.lotId}` }, "https://site/notifications").text;
    expect(text).toContain("某房产");
    expect(text).not.toContain(bidder.bidderCode);
    expect(text).not.toMatch(/\d+\s*(人|bidders?)/);
  });

  it("P4: unfollowing stops the reminders; a draft cannot be followed", async () => {
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(database.db, clock);
    const follower = await makeBidder(database.db, clock);
    await setFollowing(database.db, clock, follower, lot.lotId, true);
    await setFollowing(database.db, clock, follower, lot.lotId, false);
    clock.set(new Date(lot.biddingStartsAt.getTime() - 60_000));
    await sendReminders(database.db, clock);
    expect(await kinds(follower.id)).toEqual([]);
    await expect(setFollowing(database.db, clock, follower, crypto.randomUUID(), true)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("won, lost and deposit messages; the judge's deadlines (E7)", () => {
  it("F1: the buyer is told they won, the other bidder that they lost, and both of their deposits' arrival and release", async () => {
    const { winner, loser } = await makeSoldLot(database.db, clock, { bidders: 2 });
    expect(await kinds(winner.id)).toEqual(expect.arrayContaining(["deposit_received", "lot_won"]));
    expect(await kinds(winner.id)).not.toContain("lot_lost");
    expect(await kinds(loser!.id)).toEqual(expect.arrayContaining(["deposit_received", "outbid", "lot_lost", "deposit_released"]));
    // A won lot is worth a text message (the bidder's phone is on file); a lost one is not.
    expect(await channelsOf(winner.id, "lot_won")).toContain("sms");
  });

  it("E7: the case's judge is reminded a day before the sale ruling falls due, once", async () => {
    const { lot, winner } = await makeSoldLot(database.db, clock);
    const { payBalance } = await import("../support/payments.ts");
    await payBalance(database.db, clock, winner, lot.lotId);
    await sendReminders(database.db, clock);
    expect(await kinds(lot.judge.id)).not.toContain("ruling_due");
    clock.set(new Date(clock.now().getTime() + 10 * 24 * 3_600_000));
    await sendReminders(database.db, clock);
    await sendReminders(database.db, clock);
    expect((await kinds(lot.judge.id)).filter((k) => k === "ruling_due")).toHaveLength(1);
  });
});

describe("the outbox", () => {
  async function pendingNotices(n: number) {
    const accounts: Awaited<ReturnType<typeof makeBidder>>[] = [];
    for (let i = 0; i < n; i++) accounts.push(await makeBidder(database.db, clock));
    for (const a of accounts) await setEmail(a.id, `${a.username}@example.test`);
    const { notify } = await import("../../identity/index.ts");
    await database.db.transaction((tx) => notify(tx, clock, accounts.map((a) => ({ userId: a.id, kind: "identity_reuse_attempt" as const }))));
    return accounts;
  }

  it("each notice goes out once by each of its channels, with two dispatchers running at once", async () => {
    await deliverPendingNotices(database.db, clock, recordingSenders().senders); // what earlier tests left
    const accounts = await pendingNotices(120);
    const one = recordingSenders();
    const two = recordingSenders();
    await Promise.all([deliverPendingNotices(database.db, clock, one.senders), deliverPendingNotices(database.db, clock, two.senders)]);
    const sent = [...one.sent, ...two.sent];
    expect(sent.length).toBe(240); // site and e-mail for each
    expect(new Set(sent.map((d) => d.id)).size).toBe(240);
    expect(new Set(sent.filter((d) => d.channel === "email").map((d) => d.email))).toEqual(new Set(accounts.map((a) => `${a.username}@example.test`)));
    const again = recordingSenders();
    await deliverPendingNotices(database.db, clock, again.senders);
    expect(again.sent).toEqual([]);
  });

  it("a failed e-mail is retried later, and given up after its last attempt; without a mail sender it waits in the outbox", async () => {
    await deliverPendingNotices(database.db, clock, recordingSenders().senders);
    const [account] = await pendingNotices(1);
    const noticeIds = (await accountNoticesOf(database.db, account!.id)).map((n) => n.id);
    const status = async () =>
      (await database.db.select().from(noticeDeliveries).where(inArray(noticeDeliveries.noticeId, noticeIds))).find((d) => d.channel === "email")!;
    // No e-mail sender (no SMTP server): the site channel goes, the e-mail waits.
    await deliverPendingNotices(database.db, clock, { site: recordingSenders().senders.site });
    expect(await status()).toMatchObject({ status: "pending", attempts: 0 });
    const down = recordingSenders({ email: true });
    await deliverPendingNotices(database.db, clock, down.senders);
    expect(await status()).toMatchObject({ status: "pending", attempts: 1, lastError: "mail server down" });
    // Not again before its retry time…
    await deliverPendingNotices(database.db, clock, down.senders);
    expect((await status()).attempts).toBe(1);
    for (let i = 1; i < DELIVERY_MAX_ATTEMPTS; i++) {
      clock.set((await status()).nextAttemptAt);
      await deliverPendingNotices(database.db, clock, down.senders);
    }
    expect(await status()).toMatchObject({ status: "failed", attempts: DELIVERY_MAX_ATTEMPTS });
  });
});

const mailpitRunning = await mailpitAnswers();
const mailpitRequired = process.env.CI === "true";

describe.skipIf(!mailpitRunning && !mailpitRequired)("e-mail through a real SMTP server (Mailpit)", () => {
  it("the e-mail sender delivers a notice's message to the account's address, with the lot's title and link", async () => {
    if (!mailpitRunning) throw new Error(`Mailpit is missing: nothing answers at ${MAILPIT_SMTP_URL}. Start it (~/go/bin/mailpit) or let .ci/run install and start it.`);
    const address = `notice-${crypto.randomUUID()}@example.test`;
    const senders = noticeSenders({
      io: null,
      smtpUrl: MAILPIT_SMTP_URL,
      mailFrom: "平台 <no-reply@auction.localhost>",
      log: pino({ level: "silent" }),
      context: { lotTitles: async (ids) => new Map(ids.map((id) => [id, "北京市朝阳区某房产"])), siteUrl: () => "https://auction.example" },
    });
    const lotId = crypto.randomUUID();
    const delivery: ClaimedDelivery = { id: crypto.randomUUID(), channel: "email", noticeId: crypto.randomUUID(), userId: crypto.randomUUID(), kind: "outbid", lotId, createdAt: clock.now(), email: address, phone: null, unread: 1 };
    const [outcome] = await senders.email!([delivery]);
    expect(outcome!.status).toBe("fulfilled");
    const [mail] = await waitForMail(address);
    expect(mail!.Subject).toContain("您的出价已被超越");
    const text = await messageText(mail!.ID);
    expect(text).toContain("北京市朝阳区某房产");
    expect(text).toContain(`https://auction.example/lots/${lotId}`);
    expect(text).toContain("You have been outbid.");
  });
});

describe("the notification centre and the bell", () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(clock, mailpitRunning ? { SMTP_URL: MAILPIT_SMTP_URL, PUBLIC_URL: "https://auction.example" } : {});
  });
  afterAll(() => platform?.stop());

  it("P4: following from the lot page, the reminder reaches the bell live, the centre and (with a mail server) the inbox; reading clears the count", async () => {
    const { db } = platform.database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock);
    const follower = await makeBidder(db, clock);
    const address = `follower-${crypto.randomUUID()}@example.test`;
    const visitor = await signedInVisitor(platform.url, follower.username);
    expect((await visitor.post("/notifications", { intent: "email", email: "not-an-address" })).status).toBe(400);
    expect((await visitor.post("/notifications", { intent: "email", email: address })).status).toBe(302);
    expect(await pageText(await visitor.get(`/lots/${lot.lotId}`))).toContain(zhCN.notices.follow);
    expect((await visitor.post(`/lots/${lot.lotId}/follow`, { follow: "1" })).status).toBe(302);
    expect(await pageText(await visitor.get(`/lots/${lot.lotId}`))).toContain(zhCN.notices.unfollow);

    const socket: Socket = connectSocket(`${platform.url}/live`, { transports: ["websocket"], extraHeaders: { cookie: visitor.cookieHeader } });
    const counts: number[] = [];
    socket.on("notices:unread", (e: { count: number }) => counts.push(e.count));
    const watched = await socket.timeout(5_000).emitWithAck("notices:watch");
    expect(watched).toEqual({ ok: true, data: { count: 0 } });

    clock.set(new Date(lot.biddingStartsAt.getTime() - 60_000));
    await sendReminders(db, clock);
    await expect.poll(() => counts.at(-1), { timeout: 10_000 }).toBe(1);
    socket.disconnect();

    // The clock has moved past the idle-session limit: sign in again.
    const back = await signedInVisitor(platform.url, follower.username);
    const centre = await pageText(await back.get("/notifications"));
    expect(centre).toContain(zhCN.account.notice.lot_starts_soon);
    expect(centre).toContain('data-unread="true"');
    expect(await pageText(await back.get("/lots"))).toContain('data-testid="notice-count"');
    if (mailpitRunning) {
      const [mail] = await waitForMail(address);
      expect(await messageText(mail!.ID)).toContain(`https://auction.example/lots/${lot.lotId}`);
    } else {
      expect(centre).toContain('data-testid="mail-outbox"');
    }
    expect((await back.post("/notifications", { intent: "read" })).status).toBe(302);
    expect(await pageText(await back.get("/notifications"))).not.toContain('data-unread="true"');
    expect(await pageText(await back.get("/lots"))).not.toContain('data-testid="notice-count"');
  });
});

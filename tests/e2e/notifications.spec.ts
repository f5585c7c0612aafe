import { expect, test } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { mailpitAnswers, messagesTo, messageText } from "../support/mailpit.ts";
import { DAY, MINUTE, judgeSetsUpLot, newPage, screenshot, setServerClock, signIn, type LotPlan } from "./support.ts";

// Reminders (ADR 023): a bidder follows a lot (设置提醒); the day before bidding starts the reminder reaches the bell
// on their open page without a reload, the notification centre, and their inbox on the local mail server (Mailpit,
// started by .ci/run; run.ts points the server at it).
//
// Time: between live.spec.ts's lots (up to ~320 days on) and rounds.spec.ts's (400 days on): the server's clock only
// moves forward within a run.

const mailServer = await mailpitAnswers();

test("P4: a follower is reminded the day before bidding starts, live in the bell, in the notification centre and by e-mail", async ({ browser, request }, testInfo) => {
  test.setTimeout(120_000);
  if (!mailServer && process.env.CI === "true") throw new Error("Mailpit is missing: .ci/run installs and starts it");
  const errors: string[] = [];
  const plan: LotPlan = { base: Date.now() + 350 * DAY, startingFen: 1_500_000n, incrementFen: 50_000n, depositFen: 150_000n };
  await setServerClock(request, new Date(plan.base));
  const judge = await newPage(browser, "judge", errors);
  const lot = await test.step("a judge publishes a lot", () => judgeSetsUpLot(judge, plan));
  await judge.context().close();
  const lotPath = `/lots/${lot.lotId}`;

  const follower = await newPage(browser, "bidder3 (follower)", errors);
  await test.step("two days before bidding starts, bidder3 follows the lot from its page", async () => {
    await setServerClock(request, new Date(lot.startsAt.getTime() - 2 * DAY));
    await signIn(follower, "bidder3", lotPath);
    const follow = follower.getByTestId("follow");
    await follow.getByRole("button", { name: zhCN.notices.follow, exact: true }).click();
    await expect(follow.getByRole("button", { name: zhCN.notices.unfollow, exact: true })).toBeVisible();
    await expect(follow).toContainText(zhCN.notices.following);
  });

  // What the inbox already holds (a long-lived Mailpit may hold more than one search answers): new mail is new ids.
  const mailsBefore = new Set(mailServer ? (await messagesTo("bidder3@demo.example")).map((m) => m.ID) : []);
  await test.step("a day before the start the reminder arrives: the bell counts it without a reload", async () => {
    // A day on, the session has expired: sign in again, minutes before the reminder falls due.
    await setServerClock(request, new Date(lot.startsAt.getTime() - DAY - 5 * MINUTE));
    await signIn(follower, "bidder3", "/lots");
    const count = follower.getByTestId("notice-count");
    const before = (await count.count()) > 0 ? Number(await count.textContent()) : 0;
    await setServerClock(request, new Date(lot.startsAt.getTime() - DAY + 5 * MINUTE));
    await expect(count).toHaveText(String(before + 1), { timeout: 15_000 });
  });

  await test.step("the notification centre lists it, linked to the lot; reading it clears the count", async () => {
    await follower.getByTestId("notice-bell").click();
    await expect(follower).toHaveURL(/\/notifications$/);
    const reminder = follower.getByTestId("notice-list").locator('li[data-notice="lot_starts_soon"]').first();
    await expect(reminder).toContainText(zhCN.account.notice.lot_starts_soon);
    await expect(reminder).toHaveAttribute("data-unread", "true");
    await expect(reminder.getByRole("link")).toHaveAttribute("href", lotPath);
    await screenshot(follower, testInfo, "notifications", "The notification centre with the reminder");
    await follower.getByRole("button", { name: zhCN.notices.markRead, exact: true }).click();
    await expect(follower.getByTestId("notice-count")).toHaveCount(0);
  });

  await test.step("the reminder is in bidder3's inbox, with the lot's link and nothing about who registered", async () => {
    test.skip(!mailServer, "no Mailpit here: e-mails stay in the outbox");
    let text = "";
    await expect(async () => {
      const fresh = (await messagesTo("bidder3@demo.example")).filter((m) => !mailsBefore.has(m.ID));
      expect(fresh.length).toBeGreaterThan(0);
      text = await messageText(fresh[0]!.ID);
      expect(text).toContain(lotPath);
    }).toPass({ timeout: 20_000 });
    expect(text).toMatch(/24小时内开始/);
    expect(text).not.toMatch(/竞买号|bidder code/i);
  });
  expect(errors).toEqual([]);
});

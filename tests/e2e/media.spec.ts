import { createHash } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { beijingDateTime, DAY, HOUR, judgeSetsUpLot, newPage, open, screenshot, setServerClock, signIn, type LotPlan } from "./support.ts";

// A lot page's media and viewings in Chromium: the court uploads photos and a video and sets a viewing (预约看样); the
// video plays in the public page from range requests; a bidder books the viewing and the public page shows one place
// fewer, never who booked (P4); the photo lightbox opens from a thumbnail and is worked and closed with the keyboard,
// focus going back to the thumbnail.
//
// Time: 700 days on, after every other spec's lots (up to 600 days): the server's clock only moves forward in a run.

/** A 1×1 PNG: a real image the browser decodes. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const PHOTOS = ["车辆正面", "车辆内饰"];
const PLACE = "北京市朝阳区人民法院停车场（东门进）";
const VIDEO_TITLE = "车辆绕车一周";

/** The page as it stands has no serious or critical accessibility violation (axe, WCAG 2.x A and AA). */
async function accessible(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(bad, what).toEqual([]);
}

/**
 * The one console error left out: React's hydration warning about the CSP nonce of the root's stylesheet link, which
 * Chromium hides from the DOM (nonce hiding) on every page of the site, not this spec's. Any other difference fails.
 */
const onlyNonceMismatch = (text: string) =>
  text.includes("hydration-mismatch") &&
  text
    .split("\n")
    .filter((line) => /^\s*[+-]\s+[\w-]+=/.test(line))
    .every((line) => /^\s*[+-]\s+nonce=/.test(line));

test("B8, B9, P4: the court adds photos, a video and a viewing; a bidder books it, the public sees a place fewer; the video plays and the lightbox works by keyboard", async ({ browser, request }, testInfo) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  const plan: LotPlan = { base: Date.now() + 700 * DAY, startingFen: 2_000_000n, incrementFen: 50_000n, depositFen: 200_000n };
  await setServerClock(request, new Date(plan.base));
  const judge = await newPage(browser, "judge", errors, {}, onlyNonceMismatch);
  const lot = await test.step("a judge publishes a lot", () => judgeSetsUpLot(judge, plan));
  const lotPath = `/lots/${lot.lotId}`;

  await test.step("the court uploads two photos", async () => {
    for (const title of PHOTOS) {
      const form = judge.getByTestId("file-form");
      await form.getByRole("radio", { name: zhCN.files.kind.photo, exact: true }).check();
      await form.getByLabel(zhCN.files.fileTitle, { exact: true }).fill(title);
      await form.getByLabel(zhCN.files.file, { exact: true }).setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: PNG });
      await form.getByRole("button", { name: zhCN.files.upload, exact: true }).click();
      await expect(judge.getByTestId("success-banner")).toHaveText(zhCN.courtLot.notice.fileAdded);
    }
  });

  await test.step("the court uploads a video (a WebM recorded in the browser), shown with its SHA-256", async () => {
    // A real video the browser can play: two seconds of a canvas, recorded by the browser's own MediaRecorder.
    const webm = Buffer.from(
      await judge.evaluate(async () => {
        const canvas = Object.assign(document.createElement("canvas"), { width: 160, height: 120 });
        const context = canvas.getContext("2d")!;
        const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm" });
        const chunks: Blob[] = [];
        recorder.ondataavailable = (event) => chunks.push(event.data);
        const stopped = new Promise((resolve) => (recorder.onstop = resolve));
        recorder.start(200);
        for (let frame = 0; frame < 40; frame++) {
          context.fillStyle = `hsl(${frame * 9} 70% 50%)`;
          context.fillRect(0, 0, 160, 120);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        recorder.stop();
        await stopped;
        return [...new Uint8Array(await new Blob(chunks, { type: "video/webm" }).arrayBuffer())];
      }),
    );
    const form = judge.getByTestId("file-form");
    await form.getByRole("radio", { name: zhCN.files.kind.video, exact: true }).check();
    await form.getByLabel(zhCN.files.fileTitle, { exact: true }).fill(VIDEO_TITLE);
    await form.getByLabel(zhCN.files.file, { exact: true }).setInputFiles({ name: "walkround.webm", mimeType: "video/webm", buffer: webm });
    await form.getByRole("button", { name: zhCN.files.upload, exact: true }).click();
    await expect(judge.getByTestId("success-banner")).toHaveText(zhCN.courtLot.notice.fileAdded);
    await expect(judge.getByTestId("video-sha256")).toHaveText(createHash("sha256").update(webm).digest("hex"));
  });

  const starts = new Date(Math.ceil((plan.base + 2 * DAY) / HOUR) * HOUR);
  await test.step("the court adds a viewing with three places", async () => {
    await judge.getByTestId("viewings-link").click();
    await expect(judge).toHaveURL(new RegExp(`/court/lots/${lot.lotId}/viewings$`));
    const form = judge.getByTestId("viewing-form");
    await form.getByLabel(zhCN.viewings.startsAt, { exact: true }).fill(beijingDateTime(starts.getTime()));
    await form.getByLabel(zhCN.viewings.endsAt, { exact: true }).fill(beijingDateTime(starts.getTime() + 2 * HOUR));
    await form.getByLabel(zhCN.viewings.place, { exact: true }).fill(PLACE);
    await form.getByLabel(zhCN.viewings.capacity, { exact: true }).fill("3");
    await form.getByRole("button", { name: zhCN.viewings.submit, exact: true }).click();
    await expect(judge.getByTestId("success-banner")).toHaveText(zhCN.viewings.added);
    await expect(judge.getByTestId("court-viewings")).toContainText(PLACE);
    await accessible(judge, "the court's viewings page");
  });

  const visitor = await newPage(browser, "visitor", errors, {}, onlyNonceMismatch);
  const freePlaces = visitor.locator("#viewings").getByTestId("viewing-free");
  await test.step("the public page plays the video, fetched in parts (206)", async () => {
    const parts: number[] = [];
    visitor.on("response", (response) => {
      if (/\/files\//.test(response.url()) && response.request().resourceType() === "media") parts.push(response.status());
    });
    await open(visitor, lotPath);
    const video = visitor.getByTestId("lot-video").locator("video");
    await expect(video).toHaveAccessibleName(VIDEO_TITLE);
    // The browser has read the video's header: it can be played.
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1);
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(160);
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((status) => status === 206)).toBe(true);
  });

  await test.step("the public page shows the viewing with three places free", async () => {
    await open(visitor, lotPath);
    await expect(visitor.locator("#viewings")).toContainText(PLACE);
    await expect(freePlaces).toHaveText("3 / 3");
  });

  await test.step("bidder4 books the viewing from the lot's page", async () => {
    const bidder = await newPage(browser, "bidder4", errors, {}, onlyNonceMismatch);
    await signIn(bidder, "bidder4", lotPath);
    await bidder.locator("#viewings").getByTestId("viewing-book").click();
    await expect(bidder).toHaveURL(new RegExp(`/lots/${lot.lotId}/viewings\\?done=booked$`));
    await expect(bidder.getByTestId("success-banner")).toHaveText(zhCN.viewings.booked);
    await expect(bidder.getByTestId("viewing-mine")).toHaveText(zhCN.viewings.yours);
    await accessible(bidder, "the viewings page, booked");
    await bidder.context().close();
  });

  await test.step("the public page shows a place fewer, and not who booked", async () => {
    await open(visitor, lotPath);
    await expect(freePlaces).toHaveText("2 / 3");
    await expect(visitor.getByRole("main")).not.toContainText("孙丽");
    await screenshot(visitor, testInfo, "lot-viewings", "The lot page's gallery and viewings");
    await accessible(visitor, "the lot page with its gallery, video and viewings");
  });

  await test.step("the court sees who booked", async () => {
    await judge.reload();
    await expect(judge.getByTestId("viewing-bookings")).toContainText("孙丽");
    await judge.context().close();
  });

  await test.step("the lightbox opens from a thumbnail by keyboard, moves with the arrow keys and closes with Esc", async () => {
    const thumbs = visitor.getByTestId("gallery-thumb");
    await expect(thumbs).toHaveCount(2);
    // Without JavaScript the thumbnail is a link to the full image.
    await expect(thumbs.first()).toHaveAttribute("href", /\/lots\/[0-9a-f-]{36}\/files\/[0-9a-f-]{36}$/);
    await expect(thumbs.first()).toHaveAccessibleName(`查看大图：${PHOTOS[0]}`);
    const lightbox = visitor.getByRole("dialog");
    await expect(lightbox).toBeHidden();
    await thumbs.first().focus();
    await visitor.keyboard.press("Enter");
    await expect(lightbox).toBeVisible();
    await expect(lightbox).toHaveAccessibleName(new RegExp(PHOTOS[0]!));
    await expect(lightbox.getByRole("img")).toHaveAttribute("alt", PHOTOS[0]!);
    await expect(lightbox.getByRole("button", { name: zhCN.gallery.close, exact: true })).toBeFocused();
    await accessible(visitor, "the lot page with the lightbox open");
    await visitor.keyboard.press("ArrowRight");
    await expect(lightbox.getByRole("img")).toHaveAttribute("alt", PHOTOS[1]!);
    await expect(lightbox).toContainText("2 / 2");
    await visitor.keyboard.press("ArrowRight");
    await expect(lightbox.getByRole("img")).toHaveAttribute("alt", PHOTOS[0]!);
    await visitor.keyboard.press("ArrowLeft");
    await expect(lightbox.getByRole("img")).toHaveAttribute("alt", PHOTOS[1]!);
    await visitor.keyboard.press("Escape");
    await expect(lightbox).toBeHidden();
    await expect(thumbs.first()).toBeFocused();
    // The buttons too: next, then close.
    await thumbs.nth(1).click();
    await expect(lightbox).toBeVisible();
    await lightbox.getByRole("button", { name: zhCN.gallery.next, exact: true }).click();
    await expect(lightbox.getByRole("img")).toHaveAttribute("alt", PHOTOS[0]!);
    await lightbox.getByRole("button", { name: zhCN.gallery.close, exact: true }).click();
    await expect(lightbox).toBeHidden();
    await expect(thumbs.nth(1)).toBeFocused();
  });

  expect(errors).toEqual([]);
});

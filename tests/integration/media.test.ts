// A lot's media and viewings over real HTTP and a real PostgreSQL: a video uploaded by the court, stored with its
// SHA-256 and served in parts (range requests), and 预约看样 — viewings set by the court, booked by signed-in people
// (capacity held under concurrency), cancelled, reminded, audited, and never showing the public who booked (P4).
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, inArray, isNull } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { isAppError } from "../../core/errors.ts";
import { accountNotices, auditEvents, lotFiles, lotViewingBookings, users } from "../../db/schema/index.ts";
import { addViewingSlot, bookViewing, cancelViewing, sendReminders } from "../../auction/index.ts";
import { accountNoticesOf, hashPassword, type SessionUser } from "../../identity/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { makeBidder, makePublishedLot } from "../fixtures/auction.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, signedInVisitor, Visitor } from "../support/http.ts";

const DAY = 24 * 3_600_000;
const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let platform: TestPlatform;
let lot: Awaited<ReturnType<typeof makePublishedLot>>;
let clerk: Visitor;

/** An MP4 of 2.5 MB: an `ftyp` box, then bytes enough to be served in several slices. */
const VIDEO = (() => {
  const head = new Uint8Array([0, 0, 0, 0x20, ...new TextEncoder().encode("ftypisom"), 0, 0, 2, 0]);
  const bytes = new Uint8Array(2.5 * 1024 * 1024);
  bytes.set(randomBytes(bytes.length));
  bytes.set(head);
  return bytes;
})();
const VIDEO_SHA256 = createHash("sha256").update(VIDEO).digest("hex");

/** The form a browser sends with the court's upload form. */
function upload(kind: string, title: string, name: string, type: string, bytes: Uint8Array) {
  const form = new FormData();
  form.set("intent", "file");
  form.set("kind", kind);
  form.set("title", title);
  form.set("file", new Blob([bytes.slice()], { type }), name);
  return form;
}

/** A Beijing-time datetime-local value, as the court's form sends it. */
const beijing = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);

const fileCount = async () => (await platform.database.db.select({ n: count() }).from(lotFiles).where(eq(lotFiles.lotId, lot.lotId)))[0]!.n;
const auditActions = async (action: string) =>
  (await platform.database.db.select({ n: count() }).from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.entityId, lot.lotId))))[0]!.n;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  const { db } = platform.database;
  lot = await makePublishedLot(db, clock);
  await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, lot.clerk.id));
  clerk = await signedInVisitor(platform.url, lot.clerk.username);
});
afterAll(() => platform?.stop());

describe("B8: a lot's video, stored with its SHA-256 and served in parts", () => {
  let fileId: string;
  let url: string;

  it("B8: the court uploads an MP4; it is stored with its SHA-256, played in the lot's page, and its hash is shown", async () => {
    const res = await clerk.post(`/court/lots/${lot.lotId}`, upload("video", "现场视频", "现场.mp4", "video/mp4", VIDEO));
    expect(res.status).toBe(302);
    const [row] = await platform.database.db.select({ id: lotFiles.id, sha256: lotFiles.sha256, sizeBytes: lotFiles.sizeBytes, contentType: lotFiles.contentType }).from(lotFiles).where(and(eq(lotFiles.lotId, lot.lotId), eq(lotFiles.kind, "video")));
    expect(row).toMatchObject({ sha256: VIDEO_SHA256, sizeBytes: VIDEO.length, contentType: "video/mp4" });
    fileId = row!.id;
    url = `/lots/${lot.lotId}/files/${fileId}`;
    const page = await pageText(await new Visitor(platform.url).get(`/lots/${lot.lotId}`));
    expect(page).toMatch(new RegExp(`<video[^>]*controls[^>]*src="${url}"`));
    expect(page).toContain(VIDEO_SHA256);
    expect(await auditActions("auction.lot_file_added")).toBe(1);
  });

  it("B8: without a Range header the whole video, saying that parts may be asked for", async () => {
    const res = await new Visitor(platform.url).get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("content-type")).toBe("video/mp4");
    expect(res.headers.get("content-length")).toBe(String(VIDEO.length));
    expect(createHash("sha256").update(new Uint8Array(await res.arrayBuffer())).digest("hex")).toBe(VIDEO_SHA256);
  });

  it("B8: the first bytes, a middle part across the server's slices, an open end and a suffix, each 206 with its Content-Range", async () => {
    const size = VIDEO.length;
    const MiB = 1024 * 1024;
    const cases: [string, number, number][] = [
      ["bytes=0-15", 0, 15],
      [`bytes=${MiB - 10}-${MiB + 9}`, MiB - 10, MiB + 9],
      [`bytes=${size - 100}-`, size - 100, size - 1],
      ["bytes=-500", size - 500, size - 1],
      [`bytes=100-${size + 1000}`, 100, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await new Visitor(platform.url).get(url, { range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get("content-range"), range).toBe(`bytes ${start}-${end}/${size}`);
      expect(res.headers.get("content-length"), range).toBe(String(end - start + 1));
      expect(res.headers.get("accept-ranges")).toBe("bytes");
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(VIDEO.subarray(start, end + 1))), range).toBe(true);
    }
  });

  it("B8: a range the video cannot satisfy, or a malformed one, is 416 with the video's size", async () => {
    for (const range of [`bytes=${VIDEO.length}-`, "bytes=500-100", "bytes=-0", "bytes=x-y"]) {
      const res = await new Visitor(platform.url).get(url, { range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get("content-range"), range).toBe(`bytes */${VIDEO.length}`);
    }
  });

  it("B8: a HEAD tells the size without the bytes; a download the client abandons leaves the server serving", async () => {
    const head = await new Visitor(platform.url).request(url, { method: "HEAD", headers: { range: "bytes=0-99" } });
    expect(head.status).toBe(206);
    expect(head.headers.get("content-range")).toBe(`bytes 0-99/${VIDEO.length}`);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    // A player that seeks drops the answer it was reading.
    const controller = new AbortController();
    const res = await fetch(platform.url + url, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => null);
    const next = await new Visitor(platform.url).get(url, { range: "bytes=-16" });
    expect(next.status).toBe(206);
    expect(Buffer.from(await next.arrayBuffer()).equals(Buffer.from(VIDEO.subarray(VIDEO.length - 16)))).toBe(true);
  });

  it("B8: a range for a copy that has changed (If-Range with another ETag) gets the whole file", async () => {
    const res = await new Visitor(platform.url).get(url, { range: "bytes=0-15", "if-range": '"another"' });
    expect(res.status).toBe(200);
    const same = await new Visitor(platform.url).get(url, { range: "bytes=0-15", "if-range": `"${VIDEO_SHA256}"` });
    expect(same.status).toBe(206);
  });

  it("B8: what only claims to be a video is refused with its stable message, and nothing is written", async () => {
    const before = await fileCount();
    const fake = new TextEncoder().encode("this is text, not a video");
    const res = await clerk.post(`/court/lots/${lot.lotId}`, upload("video", "假视频", "fake.mp4", "video/mp4", fake));
    expect(res.status).toBe(400);
    expect(await pageText(res)).toContain(zhCN.file.error.type.video);
    const renamed = await clerk.post(`/court/lots/${lot.lotId}`, upload("video", "改名", "clip.webm", "", VIDEO));
    expect(renamed.status).toBe(400);
    expect(await pageText(renamed)).toContain(zhCN.file.error.extension);
    expect(await fileCount()).toBe(before);
  });
});

describe("B9, P4: 预约看样 — viewings set by the court and booked by signed-in people", () => {
  const starts = () => new Date(clock.now().getTime() + 3 * DAY);
  let slotId: string;
  let bidder: Awaited<ReturnType<typeof makeBidder>>;

  it("B9: the court adds a viewing; its form names every fault at once and writes nothing when refused", async () => {
    const bad = await clerk.post(`/court/lots/${lot.lotId}/viewings`, { startsAt: beijing(new Date(clock.now().getTime() - DAY)), endsAt: beijing(new Date(clock.now().getTime() + 40 * DAY)), place: "", capacity: "0" });
    expect(bad.status).toBe(400);
    const text = await pageText(bad);
    for (const message of [zhCN.validation.viewing.past, zhCN.validation.viewing.afterClose, zhCN.validation.viewing.capacity, zhCN.validation.required]) expect(text).toContain(message);
    expect(await auditActions("auction.viewing_slot_added")).toBe(0);

    const start = starts();
    const res = await clerk.post(`/court/lots/${lot.lotId}/viewings`, { startsAt: beijing(start), endsAt: beijing(new Date(start.getTime() + 2 * 3_600_000)), place: "北京市朝阳区某小区3号楼1单元101室", capacity: "2" });
    expect(res.status).toBe(302);
    const page = await pageText(await clerk.get(`/court/lots/${lot.lotId}/viewings`));
    slotId = /data-slot-id="([0-9a-f-]{36})"/.exec(page)![1]!;
    expect(page).toContain("北京市朝阳区某小区3号楼1单元101室");
    expect(await auditActions("auction.viewing_slot_added")).toBe(1);
  });

  it("B9, P4: a bidder books; the public sees one place fewer and never who booked; the court sees the name", async () => {
    bidder = await makeBidder(platform.database.db, clock, { name: "看样人甲" });
    const visitor = await signedInVisitor(platform.url, bidder.username);
    const booked = await visitor.post(`/lots/${lot.lotId}/viewings`, { intent: "book", slotId });
    expect(booked.status).toBe(302);
    expect(booked.headers.get("location")).toBe(`/lots/${lot.lotId}/viewings?done=booked`);
    expect(await pageText(await visitor.get(`/lots/${lot.lotId}/viewings?done=booked`))).toContain(zhCN.viewings.booked);

    for (const path of [`/lots/${lot.lotId}`, `/lots/${lot.lotId}/viewings`]) {
      const publicPage = await pageText(await new Visitor(platform.url).get(path));
      expect(publicPage, path).toMatch(/data-free="1"/);
      expect(publicPage, path).not.toContain("看样人甲");
      const other = await signedInVisitor(platform.url, (await makeBidder(platform.database.db, clock)).username);
      expect(await pageText(await other.get(path)), path).not.toContain("看样人甲");
    }
    expect(await pageText(await clerk.get(`/court/lots/${lot.lotId}/viewings`))).toContain("看样人甲");
    expect(await auditActions("auction.viewing_booked")).toBe(1);
  });

  it("B9: one booking per person and lot: a second one is refused with its message, and nothing is written", async () => {
    const visitor = await signedInVisitor(platform.url, bidder.username);
    const again = await visitor.post(`/lots/${lot.lotId}/viewings`, { intent: "book", slotId });
    expect(again.status).toBe(409);
    expect(await pageText(again)).toContain(zhCN.errors.VIEWING_ALREADY_BOOKED);
    const rows = await platform.database.db.select({ n: count() }).from(lotViewingBookings).where(eq(lotViewingBookings.userId, bidder.id));
    expect(rows[0]!.n).toBe(1);
  });

  it("B9: the booker is reminded within a day of the viewing, once, through the notices outbox", async () => {
    clock.set(new Date(starts().getTime() - 23 * 3_600_000)); // the clock has not moved since the viewing was set
    await sendReminders(platform.database.db, clock);
    await sendReminders(platform.database.db, clock);
    const notices = (await accountNoticesOf(platform.database.db, bidder.id)).filter((n) => n.kind === "viewing_soon");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.lotId).toBe(lot.lotId);
    const page = await pageText(await (await signedInVisitor(platform.url, bidder.username)).get("/notifications"));
    expect(page).toContain(zhCN.account.notice.viewing_soon);
  });

  it("B9: the booker cancels; the place is free again, and the cancellation is audited", async () => {
    const visitor = await signedInVisitor(platform.url, bidder.username);
    const res = await visitor.post(`/lots/${lot.lotId}/viewings`, { intent: "cancel" });
    expect(res.status).toBe(302);
    expect(await pageText(await new Visitor(platform.url).get(`/lots/${lot.lotId}`))).toMatch(/data-free="2"/);
    expect(await auditActions("auction.viewing_cancelled")).toBe(1);
    // Nothing left to cancel.
    expect((await visitor.post(`/lots/${lot.lotId}/viewings`, { intent: "cancel" })).status).toBe(404);
  });

  it("B9: the court calls a viewing off: its bookings go with it, each booker is told, the public no longer sees it", async () => {
    const { db } = platform.database;
    const start = new Date(clock.now().getTime() + 5 * 3_600_000);
    const { id } = await addViewingSlot(db, clock, lot.clerk, lot.lotId, { startsAt: start, endsAt: new Date(start.getTime() + 3_600_000), place: "现场（取消）", capacity: 5 });
    const bookers = [await makeBidder(db, clock), await makeBidder(db, clock)];
    for (const b of bookers) await bookViewing(db, clock, b, lot.lotId, id);
    expect(await pageText(await new Visitor(platform.url).get(`/lots/${lot.lotId}`))).toContain(`data-slot-id="${id}"`);

    // The clock has moved on a day since the clerk signed in: a new session.
    const court = await signedInVisitor(platform.url, lot.clerk.username);
    const res = await court.post(`/court/lots/${lot.lotId}/viewings`, { intent: "cancel", slotId: id });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/court/lots/${lot.lotId}/viewings?done=cancelled`);
    for (const b of bookers) expect((await accountNoticesOf(db, b.id)).filter((n) => n.kind === "viewing_cancelled" && n.lotId === lot.lotId)).toHaveLength(1);
    const [live] = await db.select({ n: count() }).from(lotViewingBookings).where(and(eq(lotViewingBookings.slotId, id), isNull(lotViewingBookings.cancelledAt)));
    expect(live!.n).toBe(0);
    expect(await pageText(await new Visitor(platform.url).get(`/lots/${lot.lotId}`))).not.toContain(`data-slot-id="${id}"`);
    expect(await pageText(await court.get(`/court/lots/${lot.lotId}/viewings`))).toMatch(new RegExp(`data-slot-id="${id}" data-cancelled="true"`));
    expect(await auditActions("auction.viewing_slot_cancelled")).toBe(1);
    await expect(bookViewing(db, clock, await makeBidder(db, clock), lot.lotId, id)).rejects.toMatchObject({ code: "VIEWING_CANCELLED" });
    // Called off once only: a second time is refused with its message, and nothing more is written.
    const again = await court.post(`/court/lots/${lot.lotId}/viewings`, { intent: "cancel", slotId: id });
    expect(again.status).toBe(409);
    expect(await pageText(again)).toContain(zhCN.errors.VIEWING_CANCELLED);
    expect(await auditActions("auction.viewing_slot_cancelled")).toBe(1);
  });

  it("B9: a viewing that has started can be neither booked nor cancelled", async () => {
    const { db } = platform.database;
    const late = await makeBidder(db, clock);
    const start = new Date(clock.now().getTime() + 3_600_000);
    const { id } = await addViewingSlot(db, clock, lot.clerk, lot.lotId, { startsAt: start, endsAt: new Date(start.getTime() + 3_600_000), place: "现场", capacity: 5 });
    await bookViewing(db, clock, late, lot.lotId, id);
    clock.set(start);
    await expect(cancelViewing(db, clock, late, lot.lotId)).rejects.toMatchObject({ code: "VIEWING_PASSED" });
    await expect(bookViewing(db, clock, await makeBidder(db, clock), lot.lotId, id)).rejects.toMatchObject({ code: "VIEWING_PASSED" });
  });
});

describe("B9: a viewing's places hold under concurrency (a real PostgreSQL)", () => {
  /** Runs the bookings at once; returns each one's outcome: "booked" or its refusal's code. */
  async function race(calls: (() => Promise<unknown>)[]) {
    const settled = await Promise.allSettled(calls.map((c) => c()));
    return settled.map((s) => (s.status === "fulfilled" ? "booked" : isAppError(s.reason) ? s.reason.code : String(s.reason)));
  }

  it("B9: two people racing for the last place: exactly one gets it, the other is told it is full, in every round", async () => {
    const { db } = platform.database;
    for (let round = 0; round < 8; round++) {
      const start = new Date(clock.now().getTime() + (round + 2) * 3_600_000);
      const { id } = await addViewingSlot(db, clock, lot.clerk, lot.lotId, { startsAt: start, endsAt: new Date(start.getTime() + 1_800_000), place: "现场", capacity: 2 });
      await bookViewing(db, clock, await makeBidder(db, clock), lot.lotId, id); // one place left
      const [a, b] = [await makeBidder(db, clock), await makeBidder(db, clock)];
      const outcomes = await race([() => bookViewing(db, clock, a, lot.lotId, id), () => bookViewing(db, clock, b, lot.lotId, id)]);
      expect(outcomes.sort(), `round ${round}`).toEqual(["VIEWING_FULL", "booked"]);
      const [live] = await db.select({ n: count() }).from(lotViewingBookings).where(and(eq(lotViewingBookings.slotId, id)));
      expect(live!.n).toBe(2);
    }
  });

  it("B9: one person booking two viewings of the lot at once keeps one booking", async () => {
    const { db } = platform.database;
    const slots = [];
    for (let i = 0; i < 2; i++) {
      const start = new Date(clock.now().getTime() + (20 + i) * 3_600_000);
      slots.push((await addViewingSlot(db, clock, lot.clerk, lot.lotId, { startsAt: start, endsAt: new Date(start.getTime() + 1_800_000), place: "现场", capacity: 5 })).id);
    }
    const person: SessionUser = await makeBidder(db, clock);
    const outcomes = await race(slots.map((id) => () => bookViewing(db, clock, person, lot.lotId, id)));
    expect(outcomes.sort()).toEqual(["VIEWING_ALREADY_BOOKED", "booked"]);
    const [mine] = await db.select({ n: count() }).from(lotViewingBookings).where(inArray(lotViewingBookings.slotId, slots));
    expect(mine!.n).toBe(1);
  });

  it("B9: a cancelled booking is not reminded", async () => {
    const { db } = platform.database;
    const person = await makeBidder(db, clock);
    const start = new Date(clock.now().getTime() + 30 * 3_600_000);
    const { id } = await addViewingSlot(db, clock, lot.clerk, lot.lotId, { startsAt: start, endsAt: new Date(start.getTime() + 1_800_000), place: "现场", capacity: 5 });
    await bookViewing(db, clock, person, lot.lotId, id);
    await cancelViewing(db, clock, person, lot.lotId);
    clock.set(new Date(start.getTime() - 3_600_000));
    await sendReminders(db, clock);
    const [n] = await db.select({ n: count() }).from(accountNotices).where(and(eq(accountNotices.userId, person.id), eq(accountNotices.kind, "viewing_soon")));
    expect(n!.n).toBe(0);
  });
});

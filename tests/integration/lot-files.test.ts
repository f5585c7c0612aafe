import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { lotFiles, users } from "../../db/schema/index.ts";
import { createLotDraft, createAsset, createCase, recordReferencePrice } from "../../auction/index.ts";
import type { SessionUser } from "../../identity/index.ts";
import { DEMO_PASSWORD, seedDemoData } from "../../server/demo-seed.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, Visitor } from "../support/http.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";

const DAY = 24 * 60 * 60 * 1000;
const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;
let lotId: string;
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

async function staff(username: string): Promise<SessionUser> {
  const [u] = await platform.database.db.select().from(users).where(eq(users.username, username));
  return { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, courtId: u!.courtId, agencyId: u!.agencyId, platformId: u!.platformId, sessionId: "t" };
}

async function signedIn(username: string) {
  const v = new Visitor(platform.url);
  expect((await v.post("/sign-in", { username, password: DEMO_PASSWORD })).status).toBe(302);
  return v;
}

function upload(kind: string, title: string, name: string, type: string, bytes: Uint8Array) {
  const form = new FormData();
  form.set("intent", "file");
  form.set("kind", kind);
  form.set("title", title);
  form.set("file", new Blob([bytes.slice()], { type }), name);
  return form;
}

async function fileCount() {
  const [row] = await platform.database.db.select({ n: count() }).from(lotFiles);
  return row!.n;
}

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  await seedDemoData(platform.database.db, clock);
  const { db } = platform.database;
  const judge = await staff("judge.chaoyang");
  const c = await createCase(db, clock, judge, { caseNumber: "（2026）京0105执9001号", enforcementBasis: "判决书" });
  const asset = await createAsset(db, clock, judge, c.id, { category: "vehicle", regionCode: "110105", title: "轿车", description: "d", encumbrances: "无", occupancy: "无", lease: "无", taxes: "无", knownDefects: "无", seizedAt: new Date(clock.now().getTime() - DAY) });
  await recordReferencePrice(db, clock, judge, asset.id, { method: "negotiation", amountFen: 1_000_000n, documentTitle: "议价", validFrom: clock.now(), validUntil: new Date(clock.now().getTime() + 100 * DAY) });
  const starts = new Date(clock.now().getTime() + 16 * DAY);
  lotId = (
    await createLotDraft(db, clock, judge, {
      assetId: asset.id,
      title: "轿车",
      startingPriceFen: 700_000n,
      depositFen: 70_000n,
      incrementFen: 10_000n,
      biddingStartsAt: starts,
      biddingEndsAt: new Date(starts.getTime() + DAY),
      balanceDueDays: 10,
      panelDecision: "合议庭决定",
      depositAccount: "专户",
      transferTaxes: "各自承担",
      courtContact: "010",
      partiesNotifiedAt: new Date(clock.now().getTime() - 4 * DAY),
    })
  ).id;
});
afterAll(() => platform?.stop());

describe("B8: photos and documents on a lot", () => {
  it("B8: a clerk uploads a photo and a PDF; the draft's files are private, the published lot shows them", async () => {
    const clerk = await signedIn("clerk.chaoyang");
    expect((await clerk.post(`/court/lots/${lotId}`, upload("photo", "车辆正面", "front.png", "image/png", PNG))).status).toBe(302);
    expect((await clerk.post(`/court/lots/${lotId}`, upload("document", "执行裁定书", "ruling.pdf", "application/pdf", PDF))).status).toBe(302);
    const page = await (await clerk.get(`/court/lots/${lotId}`)).text();
    const [photoId, pdfId] = [...page.matchAll(/\/lots\/[0-9a-f-]{36}\/files\/([0-9a-f-]{36})/g)].map((m) => m[1]).filter((v, i, a) => a.indexOf(v) === i);
    expect(photoId && pdfId).toBeTruthy();
    // A draft's files are the court's until publication.
    expect((await fetch(`${platform.url}/lots/${lotId}/files/${pdfId}`)).status).toBe(404);
    const judge = await signedIn("judge.chaoyang");
    expect((await judge.post(`/court/lots/${lotId}`, { intent: "publish" })).status).toBe(302);
    const pdf = await fetch(`${platform.url}/lots/${lotId}/files/${pdfId}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(new Uint8Array(await pdf.arrayBuffer())).toEqual(PDF);
    const lotPage = await (await fetch(`${platform.url}/lots/${lotId}`)).text();
    expect(lotPage).toContain("执行裁定书");
    expect(lotPage).toContain(`alt="车辆正面"`);
  });

  it("refuses a bad upload with a clear field message and writes nothing: not a PDF, wrong extension, wrong MIME, empty, a bidder", async () => {
    const clerk = await signedIn("clerk.chaoyang");
    const before = await fileCount();
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    for (const form of [
      upload("document", "伪造", "fake.pdf", "application/pdf", html),
      upload("document", "扩展名不符", "ruling.exe", "application/pdf", PDF),
      upload("document", "类型不符", "ruling.pdf", "text/html", PDF),
      upload("photo", "空文件", "empty.png", "image/png", new Uint8Array()),
    ]) {
      const res = await clerk.post(`/court/lots/${lotId}`, form);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('href="#file"');
    }
    const bidder = await signedIn("bidder1");
    expect((await bidder.post(`/court/lots/${lotId}`, upload("photo", "x", "x.png", "image/png", PNG))).status).toBe(403);
    expect(await fileCount()).toBe(before);
  });

  it("names every fault of the upload form at once, in its order: a blank title and no file chosen, or a blank title and a file of the wrong kind", async () => {
    const clerk = await signedIn("clerk.chaoyang");
    const before = await fileCount();
    // What a browser sends for a file input left empty: a part with no file name and no bytes.
    const noFile = upload("photo", " ", "", "application/octet-stream", new Uint8Array());
    const missing = await clerk.post(`/court/lots/${lotId}`, noFile);
    expect(missing.status).toBe(400);
    const missingHtml = await pageText(missing);
    expect(missingHtml).toContain(zhCN.file.error.missing);
    expect(missingHtml).not.toContain(zhCN.file.error.empty);
    expect(missingHtml.indexOf('href="#title"')).toBeGreaterThan(-1);
    expect(missingHtml.indexOf('href="#title"')).toBeLessThan(missingHtml.indexOf('href="#file"'));

    const wrongKind = await clerk.post(`/court/lots/${lotId}`, upload("photo", "", "ruling.pdf", "application/pdf", PDF));
    expect(wrongKind.status).toBe(400);
    const wrongHtml = await wrongKind.text();
    expect(wrongHtml).toContain('href="#title"');
    expect(wrongHtml).toContain(zhCN.file.error.type.photo);
    expect(await fileCount()).toBe(before);
  });
});

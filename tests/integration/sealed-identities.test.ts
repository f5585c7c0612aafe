// Sealed identities (I1, I2, I3, P4, D7), proved against the real server: a lot of the seeded court
// 京0105 is published, bidder1..3 register and pay the demo deposit, bidder1 and bidder2 bid, bidder3
// never bids. Then every role — anonymous, bidders, judges, a clerk, an agency member, the admin and a
// judge's API token — fetches every page, every API route and every React Router data request
// (`.data`, with and without `_routes`) the build knows about. No body may name a bidder or count the
// registrations; after the close only the buyer is named.
import { format } from "node:util";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { pino } from "pino";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { ServerBuild } from "react-router";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { bidderProfiles, courts, lots, registrations, simCharges, users } from "../../db/schema/index.ts";
import {
  applyForLot,
  closeLot,
  createAsset,
  createCase,
  createLotDraft,
  publishLot,
  recordReferencePrice,
  addLotFile,
  addPriorityHolder,
  silentPublisher,
} from "../../auction/index.ts";
import { createApiToken, mask, type SessionUser } from "../../identity/index.ts";
import { loadConfig } from "../../server/config.ts";
import { loadBuild, startPlatform, type Platform } from "../../server/platform.ts";
import { DEMO_PASSWORD, seedDemoData } from "../../server/demo-seed.ts";
import { createTestDatabase } from "../support/database.ts";
import { TEST_DRAW_SEED_KEY, TEST_SESSION_SECRET } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";
import { payDeposit } from "../support/payments.ts";

const DAY = 24 * 60 * 60 * 1000;
const clock = new TestClock(new Date("2026-11-26T02:00:00Z")); // 10:00 in Beijing
const LOT_TITLE = "朝阳区望京封存测试商铺";
/** bidder1 holds a priority right to buy the lot (P16), so bids under a `P1-…` code. */
const PRIORITY_HOLDER = 1;
const HOLDER_BASIS = "（2025）京0105民初9102号民事判决书确认的按份共有份额";

let database: Database;
let platform: Platform;
let build: ServerBuild;
/** Every line the server's pino logger wrote, and whatever went to the console while it ran. */
const logLines: string[] = [];
const consoleLines: string[] = [];

// ---------------------------------------------------------------------------------------------
// The world: the lot, its bidders and what must stay sealed.
// ---------------------------------------------------------------------------------------------

interface Bidder {
  n: 1 | 2 | 3;
  session: SessionUser;
  name: string;
  identityNumber: string;
  phone: string;
  registrationId: string;
  code: string;
}

const world = {
  lotId: "",
  caseId: "",
  assetId: "",
  courtId: "",
  closesAt: new Date(0),
  bidders: [] as Bidder[],
  judgeToken: "",
  fileId: "",
  /** The simulated bank's checkout of bidder3's deposit. */
  chargeId: "",
};
const bidder = (n: 1 | 2 | 3) => world.bidders.find((b) => b.n === n)!;

async function sessionUser(username: string): Promise<SessionUser> {
  const [u] = await database.db.select().from(users).where(eq(users.username, username));
  expect(u, username).toBeDefined();
  return { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, courtId: u!.courtId, agencyId: u!.agencyId, platformId: u!.platformId, sessionId: "00000000-0000-0000-0000-000000000000" };
}

// ---------------------------------------------------------------------------------------------
// Viewers.
// ---------------------------------------------------------------------------------------------

interface Viewer {
  label: string;
  visitor: Visitor;
  headers: Record<string, string>;
  /** The bidder this viewer is (their own data is theirs to see), if any. */
  self: 1 | 2 | 3 | null;
  admin: boolean;
}

async function signedIn(username: string): Promise<Visitor> {
  const v = new Visitor(platform.url);
  const res = await v.post("/sign-in", { username, password: DEMO_PASSWORD });
  expect(res.status, `sign-in ${username}`).toBe(302);
  return v;
}

/** Sessions last 12 hours, so viewers sign in again in each phase. */
async function viewers(): Promise<Viewer[]> {
  const user = async (label: string, username: string, self: 1 | 2 | 3 | null = null): Promise<Viewer> => ({
    label,
    visitor: await signedIn(username),
    headers: {},
    self,
    admin: username === "admin",
  });
  return [
    { label: "anonymous", visitor: new Visitor(platform.url), headers: {}, self: null, admin: false },
    await user("bidder1 (registered, bid)", "bidder1", 1),
    await user("bidder2 (registered, leading)", "bidder2", 2),
    await user("bidder3 (registered, never bid)", "bidder3", 3),
    await user("bidder4 (not registered)", "bidder4"),
    await user("judge.chaoyang (the lot's court)", "judge.chaoyang"),
    await user("clerk.chaoyang (the lot's court)", "clerk.chaoyang"),
    await user("judge.pudong (another court)", "judge.pudong"),
    await user("agency1", "agency1"),
    await user("admin", "admin"),
    { label: "judge.chaoyang API token", visitor: new Visitor(platform.url), headers: { authorization: `Bearer ${world.judgeToken}` }, self: null, admin: false },
  ];
}

// ---------------------------------------------------------------------------------------------
// Every address: the build's routes with their parameters filled in, their `.data` requests, and
// the query variants and probes that concern the lot.
// ---------------------------------------------------------------------------------------------

interface Target {
  method: "GET" | "POST";
  path: string;
  form?: Record<string, string>;
  /** Only for these viewers (POST probes); GETs go to everyone. */
  only?: (v: Viewer) => boolean;
}

/** Route patterns of the build ("/lots/:lotId") with their route ids and whether they render a page. */
function buildRoutes() {
  const routes = build.routes as Record<string, { id: string; parentId?: string; path?: string; index?: boolean; module: { default?: unknown } }>;
  const fullPath = (id: string): string => {
    const r = routes[id]!;
    const parent = r.parentId ? fullPath(r.parentId) : "";
    const own = r.path ?? "";
    return [parent, own].filter(Boolean).join("/").replace(/\/+/g, "/");
  };
  return Object.values(routes)
    .filter((r) => r.id !== "root")
    .map((r) => ({ id: r.id, pattern: "/" + fullPath(r.id), isPage: r.module.default !== undefined }));
}

/** Fills a route's parameters; unknown parameters are reported by the coverage test. */
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

function fill(pattern: string, unknown: Set<string>): string {
  return pattern.replace(/:(\w+)\??/g, (_m, name: string) => {
    switch (name) {
      case "lotId":
        return world.lotId;
      case "caseId":
        return world.caseId;
      case "assetId":
        return world.assetId;
      case "fileId":
        return world.fileId;
      case "chargeId":
        return world.chargeId;
      case "userId":
        // Not a bidder's id: an id echoed in a refusal must not pass for a leak.
        return randomUUID();
      case "procedureId":
      case "drawId":
      case "commissionId":
      case "requestId":
      case "agencyId":
      case "reportId":
      case "objectionId":
        // Appraisal pages hold no bidder data; an unknown id still proves they answer without a leak or a 500.
        return UNKNOWN_ID;
      default:
        unknown.add(`${pattern} (:${name})`);
        return world.lotId;
    }
  });
}

/** React Router 8 single fetch: `/a/b` → `/a/b.data`, `/` → `/_.data`, optionally `?_routes=root,<id>`. */
function dataUrl(path: string, routeIds?: string[]): string {
  const url = new URL(path, "http://x");
  url.pathname = url.pathname.endsWith("/") ? `${url.pathname}_.data` : `${url.pathname}.data`;
  if (routeIds) url.searchParams.set("_routes", routeIds.join(","));
  return url.pathname + url.search;
}

function targets(): { list: Target[]; unknownParams: string[] } {
  const unknown = new Set<string>();
  const paths: { path: string; routeId: string | null; isPage: boolean }[] = [];
  for (const r of buildRoutes()) {
    if (r.pattern.includes("*")) {
      paths.push({ path: "/no-such-page", routeId: r.id, isPage: true });
      continue;
    }
    paths.push({ path: fill(r.pattern, unknown), routeId: r.id, isPage: r.isPage });
  }
  const L = world.lotId;
  // Query variants of the lot pages and lists, and probes for addresses that must not exist.
  const extras = [
    "/lots?phase=bidding",
    "/lots?phase=announced",
    `/lots?court=${world.courtId}`,
    "/lots?category=commercial&region=110105",
    `/lots/${L}?applied=1`,
    `/lots/${L}?deposit=paid`,
    `/lots/${L}?bid=accepted`,
    `/court/lots/${L}?done=published`,
    `/court/cases/${world.caseId}?added=party`,
    `/court/assets/${world.assetId}?recorded=1`,
    "/api/v1/lots?phase=bidding",
    `/api/v1/lots?court=${world.courtId}`,
    `/api/v1/lots/${L}/registrations`,
    `/api/v1/lots/${L}/bids`,
    `/api/v1/lots/${L}/bidders`,
    "/api/v1/audit",
    "/api/v1/audit-events",
    "/admin/audit",
    "/audit",
    "/healthz",
    // Lazy route discovery (the manifest patches a browser asks for before navigating).
    `/__manifest?paths=${encodeURIComponent(`/lots/${L},/court/lots/${L},/my/registrations`)}&version=${encodeURIComponent(build.assets.version)}`,
  ];
  for (const path of extras) paths.push({ path, routeId: null, isPage: !path.startsWith("/api/") && !path.startsWith("/__") && path !== "/healthz" });

  const list: Target[] = [];
  const seen = new Set<string>();
  const add = (t: Target) => {
    if (seen.has(t.method + t.path)) return;
    seen.add(t.method + t.path);
    list.push(t);
  };
  for (const p of paths) {
    add({ method: "GET", path: p.path });
    if (p.path.startsWith("/__") || p.path === "/healthz") continue;
    // The data requests a browser makes on client navigation carry the same loader data, differently encoded.
    add({ method: "GET", path: dataUrl(p.path) });
    if (p.routeId) add({ method: "GET", path: dataUrl(p.path, ["root", p.routeId]) });
  }
  // Refused posts render the page again with its loader data; none of them writes anything.
  const isBidder = (n: number) => (v: Viewer) => v.label.startsWith(`bidder${n} `);
  add({ method: "POST", path: `/lots/${L}/bid`, form: { amountFen: "800,000", clientBidId: `probe-${randomUUID()}` }, only: isBidder(4) });
  add({ method: "POST", path: `/lots/${L}/apply`, form: { acceptWarnings: "on", declareNotBarred: "on" }, only: isBidder(1) });
  list.push({ method: "POST", path: `/lots/${L}/bid`, form: { amountFen: "1", clientBidId: `probe-${randomUUID()}` }, only: isBidder(3) });
  list.push({ method: "POST", path: `/court/lots/${L}`, form: { intent: "revise", depositAccount: "x", transferTaxes: "x", courtContact: "x", reason: "" }, only: (v) => v.label.startsWith("judge.chaoyang (") });
  return { list, unknownParams: [...unknown] };
}

interface Fetched {
  viewer: Viewer;
  target: Target;
  status: number;
  contentType: string;
  /** Headers and body as text (PDFs: their extracted text too). */
  text: string;
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const task = getDocument({ data: new Uint8Array(bytes), verbosity: 0 });
  try {
    const doc = await task.promise;
    let text = "";
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      for (const item of content.items) if ("str" in item) text += item.str;
      text += "\n";
    }
    return text.replace(/\s+/gu, "");
  } finally {
    await task.destroy();
  }
}

async function fetchOne(viewer: Viewer, target: Target): Promise<Fetched> {
  const res =
    target.method === "GET"
      ? await viewer.visitor.get(target.path, viewer.headers)
      : await viewer.visitor.request(target.path, { method: "POST", body: new URLSearchParams(target.form), headers: viewer.headers });
  const contentType = res.headers.get("content-type") ?? "";
  const bytes = new Uint8Array(await res.arrayBuffer());
  const raw = contentType.includes("application/pdf") ? `${Buffer.from(bytes).toString("latin1")}\n${await pdfText(bytes).catch((e: unknown) => `[pdf unreadable: ${String(e)}]`)}` : Buffer.from(bytes).toString("utf8");
  const headers = [...res.headers].filter(([k]) => k !== "set-cookie" && k !== "content-security-policy").map(([k, v]) => `${k}: ${v}`).join("\n");
  // React puts <!-- --> between adjacent text nodes: "3<!-- -->人报名" must still read as one.
  return { viewer, target, status: res.status, contentType, text: `${headers}\n\n${raw.replaceAll("<!-- -->", "")}` };
}

async function sweep(): Promise<Fetched[]> {
  const all = await viewers();
  const { list } = targets();
  const out = await Promise.all(
    all.map(async (viewer) => {
      const mine: Fetched[] = [];
      for (const target of list) if (!target.only || target.only(viewer)) mine.push(await fetchOne(viewer, target));
      return mine;
    }),
  );
  return out.flat();
}

const find = (fetched: Fetched[], viewerLabel: string, path: string, method = "GET") => {
  const f = fetched.find((x) => x.viewer.label.startsWith(viewerLabel) && x.target.path === path && x.target.method === method);
  expect(f, `${viewerLabel} ${method} ${path} was fetched`).toBeDefined();
  return f!;
};

// ---------------------------------------------------------------------------------------------
// What must not appear, and where a viewer's own data may.
// ---------------------------------------------------------------------------------------------

type SecretKind = "name" | "username" | "identityNumber" | "identityMasked" | "phone" | "phoneMasked" | "userId" | "registrationId" | "bidderCode";
interface Secret {
  owner: 1 | 2 | 3;
  kind: SecretKind;
  value: string;
}

const jsonEscaped = (s: string) => [...s].map((c) => (c.charCodeAt(0) > 127 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}` : c)).join("");

function secretsOf(b: Bidder): Secret[] {
  const s = (kind: SecretKind, value: string): Secret => ({ owner: b.n, kind, value });
  const list = [
    s("name", b.name),
    s("username", b.session.username),
    s("identityNumber", b.identityNumber),
    s("identityMasked", mask(b.identityNumber)),
    s("phone", b.phone),
    s("phoneMasked", mask(b.phone)),
    s("userId", b.session.id),
    s("registrationId", b.registrationId),
  ];
  // bidder3 never bid: their code appears nowhere public. bidder1's and bidder2's are in the public bid history (D5).
  if (b.n === 3) list.push(s("bidderCode", b.code));
  return list;
}

/** Where the page is about the viewer's own account or own registrations. */
function basePath(path: string): string {
  const p = path.split("?")[0]!.replace(/\.data$/, "");
  return p === "/_" ? "/" : p;
}
const isOwnAccountPage = (p: string) => p === "/account" || p === "/notifications" || p.startsWith("/account/") || p.startsWith("/my/") || p === "/api/v1/me";
const isOwnLotPage = (p: string) => p === `/lots/${world.lotId}` || p.startsWith(`/lots/${world.lotId}/`);
const isAdminUsersPage = (p: string) => p === "/admin/users" || p.startsWith("/admin/users/") || p === "/api/v1/admin/users" || p.startsWith("/api/v1/admin/users/");

/**
 * The exceptions, spelled out:
 * - a signed-in bidder's own name is in the header of every page ("signed in as");
 * - their own account data on /account and /my/*, their own code and registration on the lot's pages and /my/*;
 * - the admin's user list names every account by design (not a registration disclosure; see adminLinks);
 * - after the close, the buyer's name and masked identity are published (I3, E5), and so are the priority
 *   holders' names (P16); `buyer` is null before the close.
 */
function allowed(secret: Secret, viewer: Viewer, path: string, buyer: 1 | 2 | 3 | null): boolean {
  const p = basePath(path);
  if (buyer === secret.owner && (secret.kind === "name" || secret.kind === "identityMasked")) return true;
  if (buyer !== null && secret.owner === PRIORITY_HOLDER && secret.kind === "name" && p.includes(world.lotId)) return true;
  if (viewer.self === secret.owner) {
    if (secret.kind === "name") return true;
    if (secret.kind === "bidderCode" || secret.kind === "registrationId") return isOwnLotPage(p) || p.startsWith("/my/");
    return isOwnAccountPage(p) || isOwnLotPage(p);
  }
  if (viewer.admin && isAdminUsersPage(p)) return secret.kind === "name" || secret.kind === "username" || secret.kind === "userId";
  return false;
}

interface Finding {
  viewer: string;
  request: string;
  status: number;
  leak: string;
  context: string;
}

const around = (text: string, index: number, length: number) => text.slice(Math.max(0, index - 70), index + length + 70).replace(/\s+/g, " ");

function secretLeaks(f: Fetched, secrets: Secret[], buyer: 1 | 2 | 3 | null): Finding[] {
  const found: Finding[] = [];
  for (const secret of secrets) {
    if (allowed(secret, f.viewer, f.target.path, buyer)) continue;
    // Also as a JSON \\u escape and percent-encoded (in a link or a Location header).
    const variants = new Set([secret.value, jsonEscaped(secret.value), encodeURIComponent(secret.value)]);
    for (const v of variants) {
      const i = f.text.indexOf(v);
      if (i >= 0) {
        found.push({ viewer: f.viewer.label, request: `${f.target.method} ${f.target.path}`, status: f.status, leak: `bidder${secret.owner}'s ${secret.kind} "${secret.value}"`, context: around(f.text, i, v.length) });
        break;
      }
    }
  }
  return found;
}

/** P4: "how many registered" — any count of registrations, in Chinese, English, JSON or turbo-stream keys. */
const COUNT_PATTERNS: RegExp[] = [
  /报名人数/,
  /竞买人数/,
  /参与人数/,
  /\d+\s*(?:人|位|名)\s*(?:已)?报名/,
  /(?:已)?报名\s*[:：]?\s*\d+\s*(?:人|位|名)/,
  /已报名\s*[:：]\s*\d+/,
  /\b(?:registeredCount|registrantCount|registrantsCount|registrationCount|registrationsCount|applicantCount|applicantsCount|participantCount|participantsCount|bidderCount|biddersCount|numRegistrations|numBidders|registeredBidders)\b/i,
  /"(?:registrations|registered|registrants|applicants|participants|bidders)"\s*:\s*\d/,
  /\b\d+\s+(?:registered|registrants|applicants|participants|bidders registered)\b/i,
  /\bregistrations?\s*[:：]\s*\d/i,
];

/** P5 records stay in the audit log: no route may expose its entries. */
const AUDIT_PATTERNS: RegExp[] = [/prevHash|prev_hash/, /auction\.(?:registered|deposit_confirmed|bid_accepted)/, /identity\.(?:signed_in|bidder_registered)/];

function patternLeaks(f: Fetched, patterns: RegExp[], what: string): Finding[] {
  const found: Finding[] = [];
  for (const re of patterns) {
    const m = re.exec(f.text);
    if (m) found.push({ viewer: f.viewer.label, request: `${f.target.method} ${f.target.path}`, status: f.status, leak: `${what}: ${re}`, context: around(f.text, m.index, m[0].length) });
  }
  return found;
}

/** JSON bodies about lots carry no field that could hold a registrant or a count of them. */
function jsonKeyLeaks(f: Fetched): Finding[] {
  if (!f.contentType.includes("json")) return [];
  const p = basePath(f.target.path);
  // The OpenAPI document describes request fields (a party's identityNumber) and the route manifest
  // names route modules ("routes/my.registrations"): neither holds data.
  if (p === "/api/v1/me" || p === "/api/openapi.json" || p === "/__manifest" || isAdminUsersPage(p)) return [];
  const body = f.text.slice(f.text.indexOf("\n\n") + 2);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const keys: string[] = [];
  const walk = (v: unknown, at: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (/regist|applicant|participant|legalName|identityNumber|userId|username|displayName|phone/i.test(k)) keys.push(`${at}.${k}`);
        walk(x, `${at}.${k}`);
      }
  };
  walk(parsed, "$");
  return keys.map((k) => ({ viewer: f.viewer.label, request: `${f.target.method} ${f.target.path}`, status: f.status, leak: `JSON field ${k}`, context: "" }));
}

/** The admin may list accounts, but nothing on those pages may tie an account to the lot. */
function adminLinks(f: Fetched): Finding[] {
  if (!isAdminUsersPage(basePath(f.target.path))) return [];
  const markers = [world.lotId, LOT_TITLE, ...world.bidders.map((b) => b.code), ...world.bidders.map((b) => b.registrationId)];
  return markers
    .filter((m) => f.text.includes(m))
    .map((m) => ({ viewer: f.viewer.label, request: `${f.target.method} ${f.target.path}`, status: f.status, leak: `admin user list links an account to the lot: "${m}"`, context: around(f.text, f.text.indexOf(m), m.length) }));
}

const summary = (fetched: Fetched[]) => {
  const byStatus = new Map<number, number>();
  for (const f of fetched) byStatus.set(f.status, (byStatus.get(f.status) ?? 0) + 1);
  return [...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
};

// ---------------------------------------------------------------------------------------------
// Setting up: the real server (with a logger writing to memory), the seeded accounts, the lot.
// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", SESSION_SECRET: TEST_SESSION_SECRET, DRAW_SEED_KEY: TEST_DRAW_SEED_KEY, DATABASE_URL: database.url, LOG_LEVEL: "info" });
  const log = pino({ level: "trace" }, { write: (line: string) => void logLines.push(line) });
  const source = await loadBuild();
  if (source.kind !== "built") throw new Error("expected the production build");
  build = source.build;
  platform = await startPlatform({ config, database, clock, source, log });
  // Whatever the server prints (React Router's and the renderer's error reports) counts as its log too.
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleLines.push(format(...args));
      original(...args);
    });
  }

  const db = database.db;
  await seedDemoData(db, clock);
  const judge = await sessionUser("judge.chaoyang");
  const clerk = await sessionUser("clerk.chaoyang");
  world.courtId = judge.courtId!;
  const [court] = await db.select().from(courts).where(eq(courts.id, world.courtId));
  expect(court!.code).toBe("京0105");

  const now = clock.now();
  world.caseId = (await createCase(db, clock, judge, { caseNumber: "（2026）京0105执9101号", enforcementBasis: "（2025）京0105民初9100号民事判决书" })).id;
  world.assetId = (
    await createAsset(db, clock, judge, world.caseId, {
      category: "commercial",
      regionCode: "110105",
      title: LOT_TITLE,
      description: "建筑面积95平方米，用途为商业。",
      encumbrances: "无",
      occupancy: "空置",
      lease: "无租赁",
      taxes: "无欠税",
      knownDefects: "无已知瑕疵",
      seizedAt: new Date(now.getTime() - 10 * DAY),
    })
  ).id;
  await recordReferencePrice(db, clock, judge, world.assetId, {
    method: "negotiation",
    amountFen: 100_000_000n,
    documentTitle: "议价笔录（2026）第9号",
    validFrom: new Date(now.getTime() - DAY),
    validUntil: new Date(now.getTime() + 300 * DAY),
  });
  const biddingStartsAt = new Date(now.getTime() + 31 * DAY);
  world.lotId = (
    await createLotDraft(db, clock, clerk, {
      assetId: world.assetId,
      title: LOT_TITLE,
      startingPriceFen: 70_000_000n, // ¥700,000
      depositFen: 7_000_000n,
      incrementFen: 100_000n, // ¥1,000
      biddingStartsAt,
      biddingEndsAt: new Date(biddingStartsAt.getTime() + DAY),
      balanceDueDays: 10,
      panelDecision: "（2026）京0105执9101号合议庭决定",
      depositAccount: "北京市朝阳区人民法院网络司法拍卖专用账户",
      transferTaxes: "买卖双方各自承担",
      courtContact: "执行局，010-65000000",
      partiesNotifiedAt: new Date(now.getTime() - 4 * DAY),
    })
  ).id;
  // A photo of the asset (B8), so the file route is swept too.
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  world.fileId = (await addLotFile(db, clock, judge, world.lotId, { kind: "photo", title: "正面照片", file: { name: "front.png", type: "image/png", bytes: png } })).id;
  const holder = await db.select().from(bidderProfiles).where(eq(bidderProfiles.userId, (await sessionUser(`bidder${PRIORITY_HOLDER}`)).id));
  await addPriorityHolder(db, clock, clerk, world.lotId, { name: holder[0]!.legalName, identityNumber: holder[0]!.identityNumber, rank: 1, kind: "co_owner", basis: HOLDER_BASIS });
  world.closesAt = (await publishLot(db, clock, judge, world.lotId)).closesAt;

  // Three bidders register and pay while the lot is announced.
  for (const n of [1, 2, 3] as const) {
    const session = await sessionUser(`bidder${n}`);
    const { registrationId } = await applyForLot(db, clock, session, world.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: false });
    const { bidderCode, paymentId } = await payDeposit(db, clock, session, world.lotId);
    expect(bidderCode).toBeTruthy();
    if (n === 3) world.chargeId = (await db.select({ id: simCharges.id }).from(simCharges).where(eq(simCharges.reference, paymentId)))[0]!.id;
    const [profile] = await db.select().from(bidderProfiles).where(eq(bidderProfiles.userId, session.id));
    world.bidders.push({ n, session, name: profile!.legalName, identityNumber: profile!.identityNumber, phone: profile!.phone, registrationId, code: bidderCode! });
  }
  // The ids the test knows are the ids in the registrations table.
  const regs = await db.select({ id: registrations.id, userId: registrations.userId }).from(registrations).where(eq(registrations.lotId, world.lotId));
  expect(regs.map((r) => r.id).sort()).toEqual(world.bidders.map((b) => b.registrationId).sort());
  expect(world.bidders.map((b) => b.name)).toEqual(["张伟", "刘芳", "赵强"]);
  expect(bidder(PRIORITY_HOLDER).code).toMatch(/^P1-/);

  world.judgeToken = (await createApiToken(db, clock, judge, "案件管理系统")).token;

  // Bidding opens; bidder1 bids the start, bidder2 outbids, both through the HTML form. bidder3 never bids.
  clock.set(new Date(biddingStartsAt.getTime() + 60_000));
  for (const [n, amount] of [
    [1, "700,000"],
    [2, "701,000"],
  ] as const) {
    const v = await signedIn(`bidder${n}`);
    const page = await (await v.get(`/lots/${world.lotId}`)).text();
    const clientBidId = /name="clientBidId" value="([^"]+)"/.exec(page)?.[1];
    expect(clientBidId, `bidder${n} sees the bid form`).toBeTruthy();
    const res = await v.post(`/lots/${world.lotId}/bid`, { amountFen: amount, clientBidId: clientBidId! });
    expect(res.status, `bidder${n}'s bid`).toBe(302);
    expect(res.headers.get("location")).toBe(`/lots/${world.lotId}?bid=accepted`);
  }
  const [lot] = await db.select().from(lots).where(eq(lots.id, world.lotId));
  expect(lot!.bidCount).toBe(2);
}, 120_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await platform?.close();
  await database?.close();
});

// ---------------------------------------------------------------------------------------------
// Before the close.
// ---------------------------------------------------------------------------------------------

describe("while bidding is open", () => {
  let fetched: Fetched[] = [];
  let logSnapshot = "";

  beforeAll(async () => {
    fetched = await sweep();
    // The log as it stands at the end of the open phase (sign-ins, bids, the whole sweep).
    logSnapshot = [...logLines, ...consoleLines].join("\n");
    console.info(`[sealed-identities] open phase: ${fetched.length} responses (${summary(fetched)})`);
  }, 300_000);

  it("covers every route of the build (each parameter has a value)", () => {
    const { unknownParams } = targets();
    expect(unknownParams).toEqual([]);
    const swept = new Set(fetched.map((f) => basePath(f.target.path)));
    for (const r of buildRoutes()) if (!r.pattern.includes("*") && !r.pattern.includes(":userId")) expect(swept.has(fill(r.pattern, new Set())), r.pattern).toBe(true);
  });

  it("the sweep reaches the lot: every role gets its real pages (not only errors)", () => {
    const L = world.lotId;
    const anonLot = find(fetched, "anonymous", `/lots/${L}`);
    expect(anonLot.status).toBe(200);
    expect(anonLot.text).toContain(LOT_TITLE);
    // D5, I2: the public sees the codes of those who bid.
    expect(anonLot.text).toContain(`data-bidder-code="${bidder(1).code}"`);
    expect(anonLot.text).toContain(`data-bidder-code="${bidder(2).code}"`);
    expect(find(fetched, "anonymous", dataUrl(`/lots/${L}`)).text).toContain(LOT_TITLE);
    expect(find(fetched, "anonymous", dataUrl(`/lots/${L}`, ["root", "routes/lot"])).text).toContain(bidder(1).code);
    expect(find(fetched, "anonymous", `/api/v1/lots/${L}`).status).toBe(200);
    expect(find(fetched, "anonymous", "/lots?phase=bidding").text).toContain(LOT_TITLE);
    // Each bidder sees their own code; bidder3's appears only to bidder3.
    expect(find(fetched, "bidder3 ", `/lots/${L}`).text).toContain(`data-testid="your-code">${bidder(3).code}<`);
    expect(find(fetched, "bidder3 ", "/my/registrations").text).toContain(bidder(3).code);
    expect(find(fetched, "bidder1 ", "/my/bids").text).toContain("¥700,000.00");
    // Court staff of the lot's court see their pages; the other court's judge does not.
    for (const who of ["judge.chaoyang (", "clerk.chaoyang ("]) {
      for (const path of [`/court/lots/${L}`, `/court/assets/${world.assetId}`, `/court/cases/${world.caseId}`, "/court/cases"]) {
        const f = find(fetched, who, path);
        expect(f.status, `${who} ${path}`).toBe(200);
      }
      expect(find(fetched, who, `/court/lots/${L}`).text).toContain('data-testid="monitor"');
    }
    expect(find(fetched, "judge.pudong", `/court/lots/${L}`).status).toBe(403);
    // The token is a working judge's token on the API.
    const me = find(fetched, "judge.chaoyang API token", "/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.text).toContain('"username":"judge.chaoyang"');
    expect(find(fetched, "judge.chaoyang API token", `/api/v1/lots/${L}`).status).toBe(200);
    // The admin's user list works (so its check below means something).
    const adminUsers = find(fetched, "admin", "/admin/users");
    expect(adminUsers.status).toBe(200);
    expect(adminUsers.text).toContain("bidder3");
  });

  it("the checks find what they look for: each exception, seen by someone else, is a finding", () => {
    const secrets = world.bidders.flatMap(secretsOf);
    const anonymous = find(fetched, "anonymous", "/lots").viewer;
    const judge = find(fetched, "judge.chaoyang (", "/lots").viewer;
    const leaksOf = (f: Fetched, viewer: Viewer) => secretLeaks({ ...f, viewer }, secrets, null).map((x) => x.leak);
    expect(leaksOf(find(fetched, "bidder3 ", `/lots/${world.lotId}`), anonymous)).toContain(`bidder3's bidderCode "${bidder(3).code}"`);
    expect(leaksOf(find(fetched, "bidder3 ", dataUrl("/my/registrations")), anonymous)).toContain(`bidder3's bidderCode "${bidder(3).code}"`);
    const account = leaksOf(find(fetched, "bidder1 ", "/account"), anonymous);
    for (const kind of ["name", "username", "identityMasked", "phoneMasked"]) expect(account.some((l) => l.startsWith(`bidder1's ${kind} `)), kind).toBe(true);
    const userList = leaksOf(find(fetched, "admin", "/api/v1/admin/users"), judge);
    for (const kind of ["name", "username", "userId"]) expect(userList.some((l) => l.startsWith(`bidder3's ${kind} `)), kind).toBe(true);
    const sample = (text: string) => ({ ...find(fetched, "anonymous", "/lots"), text });
    for (const text of ["已有3人报名", "报名人数：3", '{"registrationCount":3}', '{"registered":3}', "3 registered", "Registrations: 3"]) {
      expect(patternLeaks(sample(text), COUNT_PATTERNS, "count"), text).not.toEqual([]);
    }
    expect(patternLeaks(sample('{"action":"auction.registered","prevHash":"ab"}'), AUDIT_PATTERNS, "audit")).not.toEqual([]);
    expect(jsonKeyLeaks({ ...find(fetched, "anonymous", `/api/v1/lots/${world.lotId}`), text: 'h: v\n\n{"lot":{"registrations":[{"userId":"x"}]}}' })).toHaveLength(2);
  });

  it("P16, P4: before the close, the priority holder who bids is announced by kind and rank only, on the page and in the API", () => {
    const L = world.lotId;
    const page = find(fetched, "anonymous", `/lots/${L}`).text;
    expect(page).toContain('data-testid="priority-holders"');
    expect(page).toMatch(/顺位\s*1\s*·\s*按份共有人/);
    expect(page).toContain(`data-bidder-code="${bidder(PRIORITY_HOLDER).code}"`);
    const api = JSON.parse(find(fetched, "anonymous", `/api/v1/lots/${L}`).text.split("\n\n").slice(1).join("\n\n")) as { lot: { priorityHolders: unknown[] } };
    expect(api.lot.priorityHolders).toEqual([{ rank: 1, kind: "co_owner" }]);
    // The legal basis may name the holder; it waits for the close with the name.
    for (const f of fetched) expect(f.text.includes(HOLDER_BASIS), `${f.viewer.label} ${f.target.method} ${f.target.path}`).toBe(false);
  });

  it("I1, I2, P4, D7: before the close, no page or API response, for any role, names a bidder", () => {
    const secrets = world.bidders.flatMap(secretsOf);
    const findings = fetched.flatMap((f) => [...secretLeaks(f, secrets, null), ...jsonKeyLeaks(f), ...adminLinks(f)]);
    expect(findings).toEqual([]);
  });

  it("P4: before the close, no page or API response, for any role, counts the registrations (3 registered, 2 bid)", () => {
    const findings = fetched.flatMap((f) => patternLeaks(f, COUNT_PATTERNS, "registrant count"));
    expect(findings).toEqual([]);
  });

  it("P4, P5: no route exposes the audit log (which records registrations by id)", () => {
    const findings = fetched.flatMap((f) => patternLeaks(f, AUDIT_PATTERNS, "audit log entry"));
    expect(findings).toEqual([]);
  });

  it("I1, D7: the server's log lines name no bidder while bidding is open", () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logSnapshot).toContain('"msg":"request"');
    const secrets = world.bidders.flatMap(secretsOf);
    const leaks = secrets.flatMap((s) =>
      [s.value, jsonEscaped(s.value)].filter((v) => logSnapshot.includes(v)).slice(0, 1).map((v) => `bidder${s.owner}'s ${s.kind} "${s.value}": ${around(logSnapshot, logSnapshot.indexOf(v), v.length)}`),
    );
    expect(leaks).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// After the close.
// ---------------------------------------------------------------------------------------------

describe("after the close", () => {
  let fetched: Fetched[] = [];

  beforeAll(async () => {
    clock.set(world.closesAt);
    const result = await closeLot(database.db, clock, silentPublisher, world.lotId);
    // The minute sweep may have closed it first; either way it is sold.
    expect(["closed", "already_closed"]).toContain(result.kind);
    const [lot] = await database.db.select().from(lots).where(eq(lots.id, world.lotId));
    expect(lot!.status).toBe("sold");
    const [winner] = await database.db
      .select({ userId: registrations.userId })
      .from(registrations)
      .where(and(eq(registrations.id, lot!.winnerRegistrationId!), inArray(registrations.lotId, [world.lotId])));
    expect(winner!.userId).toBe(bidder(2).session.id);
    fetched = await sweep();
    console.info(`[sealed-identities] after the close: ${fetched.length} responses (${summary(fetched)})`);
  }, 300_000);

  it("I3, E5: the public lot page, its data, the API and the confirmation PDF name the buyer", async () => {
    const L = world.lotId;
    for (const path of [`/lots/${L}`, dataUrl(`/lots/${L}`), `/api/v1/lots/${L}`]) {
      const f = find(fetched, "anonymous", path);
      expect(f.status, path).toBe(200);
      expect(f.text, path).toContain("刘芳");
      expect(f.text, path).toContain(mask(bidder(2).identityNumber));
    }
    const pdf = find(fetched, "anonymous", `/lots/${L}/confirmation.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.contentType).toContain("application/pdf");
    expect(pdf.text).toContain("刘芳");
  });

  it("P16: after the close, the priority holder is named on the lot page and in the API", () => {
    const L = world.lotId;
    for (const path of [`/lots/${L}`, `/api/v1/lots/${L}`]) {
      const f = find(fetched, "anonymous", path);
      expect(f.text, path).toContain(bidder(PRIORITY_HOLDER).name);
      expect(f.text, path).toContain(HOLDER_BASIS);
    }
  });

  it("I1, I3, P4: after the close, only the buyer is named: the losing bidder and the one who never bid stay anonymous, for every role", () => {
    const secrets = world.bidders.flatMap(secretsOf);
    const findings = fetched.flatMap((f) => [...secretLeaks(f, secrets, 2), ...jsonKeyLeaks(f), ...adminLinks(f)]);
    expect(findings).toEqual([]);
  });

  it("P4, P5: no route exposes the audit log after the close either", () => {
    const findings = fetched.flatMap((f) => patternLeaks(f, AUDIT_PATTERNS, "audit log entry"));
    expect(findings).toEqual([]);
  });
});

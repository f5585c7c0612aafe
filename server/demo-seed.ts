import { count, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { agencies, agencySublists, bidderProfiles, courts, inquiryPlatforms, platformListings, poolAgencies, users, ASSET_CATEGORIES, type Role, type Specialty } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { creditCodeCheckChar, hashPassword, residentIdCheckChar, simulatedRealNameVerifier, verifyRealName } from "../identity/index.ts";

/** Every demo account signs in with this password. Demo data is only for an embedded or empty test database. */
export const DEMO_PASSWORD = "demo-password-2026";

export interface DemoLogin {
  username: string;
  role: Role;
  name: string;
}

/** Demo accounts have e-mail addresses, so their notices show in the local mail server's inbox (Mailpit). */
const demoEmail = (username: string) => `${username}@demo.example`;
const residentId = (body17: string) => body17 + residentIdCheckChar(body17);
const creditCode = (body17: string) => body17 + creditCodeCheckChar(body17);

/** The applicant and the debtor of the demo case awaiting its reference price, with their accounts. */
export const DEMO_PARTIES = [
  { username: "party1", role: "applicant" as const, name: "周建国", identityNumber: residentId("11010219760412007"), phone: "13800000006" },
  { username: "party2", role: "debtor" as const, name: "吴海燕", identityNumber: residentId("11010519820925008"), phone: "13800000007" },
];

/**
 * Seeds two courts with judges and clerks, six listed agencies, three inquiry platforms, five bidders, two parties and an admin —
 * only into an empty database.
 */
export async function seedDemoData(db: Db, clock: Clock): Promise<DemoLogin[] | null> {
  const [existing] = await db.select({ n: count() }).from(users);
  if ((existing?.n ?? 0) > 0) return null;

  const now = clock.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const logins: DemoLogin[] = [];

  await db.transaction(async (tx) => {
    const [chaoyang, pudong] = await tx
      .insert(courts)
      .values([
        { code: "京0105", name: "北京市朝阳区人民法院", regionCode: "110105", createdAt: now },
        { code: "沪0115", name: "上海市浦东新区人民法院", regionCode: "310115", createdAt: now },
      ])
      .returning();
    // The appraisal-institution list (A12): each agency with its specialty × region sub-lists. Beijing's
    // real-estate city sub-list holds four, so a draw of three has a real choice.
    const pool: { name: string; code: string; region: string; sublists: [Specialty, string][] }[] = [
      { name: "北京中正房地产土地评估有限公司", code: "91110105MA01ABCD1", region: "110105", sublists: [["real_estate", "110100"], ["land", "110100"]] },
      { name: "上海东方资产评估有限公司", code: "91310115MA1HXY001", region: "310115", sublists: [["real_estate", "310100"], ["equity", "310000"], ["machinery", "310000"]] },
      { name: "华信机动车鉴定评估有限公司", code: "91110108MA02QWER2", region: "110108", sublists: [["vehicles", "110100"], ["machinery", "110000"]] },
      { name: "北京京诚房地产评估有限公司", code: "91110101MA03JCFD3", region: "110101", sublists: [["real_estate", "110100"]] },
      { name: "北京华审资产评估有限公司", code: "91110102MA04HWXC4", region: "110102", sublists: [["real_estate", "110100"], ["vehicles", "110100"], ["machinery", "110000"]] },
      { name: "北京国信土地房地产评估有限公司", code: "91110106MA05GXTD5", region: "110106", sublists: [["real_estate", "110100"], ["land", "110100"]] },
    ];
    const agencyRows = await tx
      .insert(agencies)
      .values(pool.map((a) => ({ name: a.name, creditCode: creditCode(a.code), regionCode: a.region, createdAt: now })))
      .returning();
    await tx.insert(poolAgencies).values(agencyRows.map((a) => ({ agencyId: a.id, status: "active" as const, statusChangedAt: now, createdAt: now })));
    await tx.insert(agencySublists).values(pool.flatMap((a, i) => a.sublists.map(([specialty, regionCode]) => ({ agencyId: agencyRows[i]!.id, specialty, regionCode }))));

    // The online-inquiry platforms (A6), each pricing every category (P7).
    const platformRows = await tx
      .insert(inquiryPlatforms)
      .values([
        { name: "网拍大数据询价平台", creditCode: creditCode("91330100MA27WPDT1"), createdAt: now },
        { name: "京东方略询价平台", creditCode: creditCode("91110302MA01JDFL2"), createdAt: now },
        { name: "融e价询价平台", creditCode: creditCode("91110102MA00RYJ03"), createdAt: now },
      ])
      .returning();
    await tx.insert(platformListings).values(platformRows.map((p) => ({ platformId: p.id, categories: [...ASSET_CATEGORIES], status: "active" as const, statusChangedAt: now, createdAt: now })));

    // Staff carry their resident ID so they are barred from bidding under any account (C7).
    const staff: { username: string; name: string; role: Role; id: string; courtId?: string; agencyId?: string; platformId?: string }[] = [
      { username: "admin", name: "平台管理员", role: "admin", id: residentId("11010819750102011") },
      { username: "judge.chaoyang", name: "王立法", role: "judge", id: residentId("11010519700305021"), courtId: chaoyang!.id },
      { username: "clerk.chaoyang", name: "李书记", role: "clerk", id: residentId("11010519880719032"), courtId: chaoyang!.id },
      { username: "judge.pudong", name: "陈公正", role: "judge", id: residentId("31011519720911041"), courtId: pudong!.id },
      { username: "clerk.pudong", name: "周记录", role: "clerk", id: residentId("31011519910223052"), courtId: pudong!.id },
      ...agencyRows.map((a, i) => ({ username: `agency${i + 1}`, name: `${a.name}评估师`, role: "agency_member" as const, id: residentId(`1101081980060${i + 1}06${i + 1}`), agencyId: a.id })),
      ...platformRows.map((p, i) => ({ username: `platform${i + 1}`, name: `${p.name}专员`, role: "inquiry_platform" as const, id: residentId(`1101081985091${i + 1}07${i + 1}`), platformId: p.id })),
    ];
    for (const s of staff) {
      await tx.insert(users).values({ username: s.username, email: demoEmail(s.username), passwordHash, displayName: s.name, role: s.role, courtId: s.courtId, agencyId: s.agencyId, platformId: s.platformId, staffIdentityNumber: s.id, createdAt: now });
      logins.push({ username: s.username, role: s.role, name: s.name });
    }

    const bidders = [
      { username: "bidder1", kind: "person" as const, name: "张伟", id: residentId("11010519800101001"), phone: "13800000001" },
      { username: "bidder2", kind: "person" as const, name: "刘芳", id: residentId("31011519850315002"), phone: "13800000002" },
      { username: "bidder3", kind: "person" as const, name: "赵强", id: residentId("44030519900720003"), phone: "13800000003" },
      { username: "bidder4", kind: "person" as const, name: "孙丽", id: residentId("32010219781111004"), phone: "13800000004" },
      { username: "bidder5", kind: "company" as const, name: "北京宏远投资有限公司", id: creditCode("91110105MA00HY5X0"), phone: "13800000005" },
    ];
    const [confirmer] = await tx.select({ id: users.id }).from(users).where(eq(users.username, "clerk.chaoyang"));
    for (const b of bidders) {
      const [u] = await tx.insert(users).values({ username: b.username, email: demoEmail(b.username), passwordHash, displayName: b.name, role: "bidder", createdAt: now }).returning({ id: users.id });
      // The demo company's representative is already confirmed by the court (C6).
      const confirmed = b.kind === "company" ? { courtConfirmedAt: now, courtConfirmedBy: confirmer!.id } : {};
      await tx.insert(bidderProfiles).values({ userId: u!.id, kind: b.kind, legalName: b.name, identityNumber: b.id, phone: b.phone, ...confirmed });
      logins.push({ username: b.username, role: "bidder", name: b.name });
    }
    // Accounts of the parties of the demo case whose asset awaits its reference price: server/demo-lots.ts links
    // each to its party through the court's one-time code, as the platform links anyone (ADR 016).
    for (const p of DEMO_PARTIES) {
      const [u] = await tx.insert(users).values({ username: p.username, email: demoEmail(p.username), passwordHash, displayName: p.name, role: "bidder", createdAt: now }).returning({ id: users.id });
      await tx.insert(bidderProfiles).values({ userId: u!.id, kind: "person", legalName: p.name, identityNumber: p.identityNumber, phone: p.phone });
      logins.push({ username: p.username, role: "bidder", name: p.name });
    }
    await appendAudit(tx, clock, { actorId: null, action: "platform.demo_seeded", entityType: "platform", entityId: "demo", data: { accounts: logins.length } });
  });
  // Bidders and parties have their real names verified through the same use case and (simulated) service as
  // anyone else: registering for a lot and linking to a case party need it (ADR 016).
  const verified = await db.select().from(users).where(inArray(users.username, logins.filter((l) => l.role === "bidder").map((l) => l.username)));
  for (const u of verified) {
    const actor = { id: u.id, username: u.username, displayName: u.displayName, role: u.role, courtId: null, agencyId: null, platformId: null, sessionId: "demo-seed" };
    await verifyRealName(db, clock, simulatedRealNameVerifier, actor);
  }
  return logins;
}

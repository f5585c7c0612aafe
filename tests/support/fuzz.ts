// Fuzzing the HTTP boundary (DESIGN §4, ASVS V5.1.3, V13.1.5): malformed bodies — wrong JSON, wrong types, huge
// strings, control characters, wrong content types, broken multipart, random bytes — sent to every API operation
// of the OpenAPI document and every form action of app/routes.ts, as an anonymous visitor, as a signed-in user
// from the site's own origin (so the CSRF guard lets the request through to the handler), and with a bearer
// token. Each answer must be below 500, and a refusal (4xx) must have written nothing: row-level triggers count
// every write to every table but the ones a refusal may touch by design (sessions record their use, attempt
// counters count refused sign-ins and registrations).
import fc from "fast-check";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { TEST_SESSION_SECRET, type TestPlatform } from "./platform.ts";
import { apiOperations, fillPath, siteRoutes } from "./routes.ts";
import { openApiDocument } from "../../app/lib/openapi.server.ts";
import type { TestClock } from "../../core/clock.ts";
import { createApiToken, sealToken, type SessionUser } from "../../identity/index.ts";
import { createSession } from "../../identity/sessions.ts";
import { makeRouteWorld } from "../fixtures/route-world.ts";

const APP = path.resolve(import.meta.dirname, "../../app");

/** Tables a refused request may write to by design (see above). */
const WRITES_ALLOWED_ON_REFUSAL = ["sessions", "attempt_counters"];

export interface FuzzTarget {
  kind: "api" | "form";
  method: "GET" | "POST";
  /** The route pattern, e.g. "/court/lots/:lotId". */
  pattern: string;
  /** Field names the handler reads: from the OpenAPI schema, or the page's source. */
  fields: string[];
  /** Values the handler looks for (intents, enums). */
  values: string[];
}

type Identity = "anonymous" | "session" | "bearer";

export interface FuzzCase {
  target: FuzzTarget;
  identity: Identity;
  /** A known id for each path parameter, or something else. */
  params: "known" | "random-uuid" | "garbage";
  contentType: string | null;
  body: Uint8Array | string | null;
  query: string;
}

export interface FuzzFailure {
  reason: "5xx" | "refusal wrote" | "no answer";
  case: string;
  status: number;
  detail: string;
}

export interface FuzzFigures {
  requests: number;
  targets: { api: number; form: number };
  seconds: number;
  byStatus: Record<string, number>;
  /** Statuses per target, "METHOD pattern" → status → count. */
  byTarget: Record<string, Record<string, number>>;
  serverErrors: number;
  refusalsThatWrote: number;
  failures: FuzzFailure[];
}

// ——— targets ———

type Role = "admin" | "judge" | "lotJudge" | "agency" | "platform" | "bidder" | "party";

/** Who is signed in when a route is fuzzed: someone its pages are for, so the handler runs past its permission check. */
export function roleFor(pattern: string): Role {
  if (/^\/(api\/v1\/)?admin\b/.test(pattern)) return "admin";
  if (/^\/(agency|api\/v1\/commissions|api\/v1\/reports\/[^/]+\/(defect-answer|corrected)|api\/v1\/objections\/[^/]+\/answer)\b/.test(pattern)) return "agency";
  if (/^\/(platform|api\/v1\/inquiry-requests)\b/.test(pattern)) return "platform";
  if (/^\/(lots|my\/(registrations|bids))\b/.test(pattern)) return "bidder";
  if (/^\/(my\/cases|draws)\b/.test(pattern)) return "party";
  if (/^\/(court\/lots|api\/v1\/lots)\b/.test(pattern)) return "lotJudge";
  return "judge";
}

const matches = (source: string, re: RegExp) => [...source.matchAll(re)].map((m) => m[1]!);

/** Field names and literal values a page's action reads, as its source (and its folder's) spells them. */
function pageVocabulary(file: string): { fields: string[]; values: string[] } {
  const base = path.join(APP, file);
  const dir = base.replace(/\.tsx?$/, "");
  let source = readFileSync(base, "utf8");
  // A page split into a folder of its own (app/routes/court.procedure/): its handlers read the fields.
  if (existsSync(dir)) for (const f of readdirSync(dir).filter((n) => /\.tsx?$/.test(n))) source += readFileSync(path.join(dir, f), "utf8");
  const fields = matches(source, /name[=:]\s*["'`]([A-Za-z][\w-]*)["'`]/g).concat(matches(source, /values\.(\w+)/g), matches(source, /form\.get\("(\w+)"\)/g));
  const values = matches(source, /===\s*"([\w-]+)"/g).concat(matches(source, /intent[:=]\s*"([\w-]+)"/g), matches(source, /value="([\w-]+)"/g));
  return { fields: unique(["intent", ...fields]), values: unique(values) };
}

const unique = (xs: string[]) => [...new Set(xs)];

/** The properties a JSON or multipart body of this operation may have, from the OpenAPI document. */
function apiVocabulary(openApiPath: string, method: "get" | "post"): { fields: string[]; values: string[] } {
  const doc = openApiDocument() as unknown as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>;
    components: { schemas: Record<string, unknown> };
  };
  const content = doc.paths[openApiPath]?.[method]?.requestBody?.content ?? {};
  const fields: string[] = [];
  const values: string[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const n = node as { $ref?: string; properties?: Record<string, unknown>; enum?: unknown[] };
    if (n.$ref) return walk(doc.components.schemas[n.$ref.split("/").pop()!]);
    if (n.properties) fields.push(...Object.keys(n.properties));
    if (n.enum) values.push(...n.enum.filter((v): v is string => typeof v === "string"));
    for (const child of Object.values(n)) if (child && typeof child === "object") walk(child);
  };
  for (const media of Object.values(content)) walk(media.schema);
  return { fields: unique(fields), values: unique(values) };
}

export function fuzzTargets(): FuzzTarget[] {
  const api = apiOperations().map<FuzzTarget>((op) => ({
    kind: "api",
    method: op.method === "get" ? "GET" : "POST",
    pattern: op.route.pattern,
    ...apiVocabulary(op.path, op.method),
  }));
  const forms = siteRoutes()
    .filter((r) => r.action && !r.pattern.startsWith("/api/"))
    .map<FuzzTarget>((r) => ({ kind: "form", method: "POST", pattern: r.pattern, ...pageVocabulary(r.file) }));
  return [...api, ...forms];
}

// ——— bodies ———

const NASTY = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u0007\u001b[31m",
  "\r\n\t",
  "\u2028",
  "\ud800",
  "\uffff",
  "<script>alert(1)</script>",
  "'; drop table users; --",
  "0",
  "-1",
  "1e309",
  "NaN",
  "Infinity",
  "null",
  "true",
  "[]",
  "{}",
  "99999999999999999999999999",
  "0x10",
  "1,234.56",
  "00000000-0000-0000-0000-000000000000",
  "2026-02-30T25:61",
  "2026-11-26T10:00",
  "9999-12-31",
  "%00",
  "../../etc/passwd",
  "（2026）京0105执1号",
  "on",
];

const text = (extra: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY, ...(extra.length ? extra : ["x"])) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 100, max: 30_000 })).map(([s, n]) => s.repeat(n)) },
    { weight: 2, arbitrary: fc.integer().map(String) },
  );

const jsonValue = (extra: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: text(extra) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.array(text(extra), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), text(extra), { maxKeys: 3 }) },
  );

const fieldsOf = (target: FuzzTarget, extra: string[]) =>
  fc.dictionary(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...target.fields, "intent") }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), jsonValue([...target.values, ...extra]), { maxKeys: 8 });

const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v) ?? "");

function multipart(fields: Record<string, unknown>, file: { name: string; type: string; bytes: Uint8Array } | null): { type: string; body: Uint8Array } {
  const boundary = `----fuzz${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, "")}"\r\n\r\n${asText(value)}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name.replace(/["\r\n]/g, "")}"\r\nContent-Type: ${file.type.replace(/[\r\n]/g, "")}\r\n\r\n`), Buffer.from(file.bytes), Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { type: `multipart/form-data; boundary=${boundary}`, body: new Uint8Array(Buffer.concat(parts)) };
}

const randomBytes = fc.uint8Array({ maxLength: 2048 });
const contentTypes = fc.constantFrom(
  "application/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "multipart/form-data; boundary=",
  "multipart/form-data; boundary=zz",
  "text/plain",
  "application/xml",
  "application/octet-stream",
  "application/json; charset=latin1",
  "text/html; charset=utf-8",
  "*/*",
  ";;;",
);
const fileArb = fc.record({
  name: fc.oneof(fc.constantFrom("report.pdf", "photo.jpg", "a.exe", "", "x".repeat(300), "..\\..\\a.pdf", "报告.pdf"), fc.string({ maxLength: 20 })),
  type: fc.constantFrom("application/pdf", "image/jpeg", "image/png", "text/plain", "application/octet-stream", ""),
  bytes: fc.oneof(randomBytes, fc.constant(new TextEncoder().encode("%PDF-1.4\n%broken")), fc.constant(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))),
});

/** A malformed (or oddly well-formed) body for the target: content type and bytes. */
function bodyArb(target: FuzzTarget, known: string[]): fc.Arbitrary<{ contentType: string | null; body: Uint8Array | string | null }> {
  const fields = fieldsOf(target, known);
  return fc.oneof(
    // JSON: an object of the right fields with wrong values, a value of the wrong type, broken JSON.
    fields.map((f) => ({ contentType: "application/json", body: JSON.stringify(f) })),
    jsonValue(target.values).map((v) => ({ contentType: "application/json", body: JSON.stringify(v) ?? "" })),
    fc.oneof(fc.string({ maxLength: 60 }), fields.map((f) => JSON.stringify(f).slice(0, -1)), fc.constantFrom("{", '{"a":', "[1,2", "{'a':1}", "\u0000", '{"__proto__":{"x":1}}', '{"a":1}{"b":2}', "nul")).map((s) => ({ contentType: "application/json", body: s })),
    // Forms: urlencoded fields, multipart with or without a file, broken multipart.
    fields.map((f) => ({ contentType: "application/x-www-form-urlencoded", body: new URLSearchParams(Object.entries(f).map(([k, v]) => [k, asText(v)])).toString() })),
    fc.tuple(fields, fc.option(fileArb, { nil: null })).map(([f, file]) => {
      const { type, body } = multipart(f, file);
      return { contentType: type, body };
    }),
    fc.tuple(fields, fc.integer({ min: 1, max: 200 })).map(([f, cut]) => {
      const { type, body } = multipart(f, null);
      return { contentType: type, body: body.subarray(0, Math.max(0, body.length - cut)) };
    }),
    // Anything with any content type, or none.
    fc.tuple(fc.option(contentTypes, { nil: null }), fc.oneof(randomBytes, fc.string({ unit: "binary", maxLength: 200 }))).map(([contentType, body]) => ({ contentType, body })),
    fc.constant({ contentType: null, body: null }),
  );
}

const queryArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom("phase", "category", "region", "court", "next", "done", "page", "q", "x"), fc.constantFrom(...NASTY), { maxKeys: 3 }).map((q) => `?${new URLSearchParams(q)}`) },
  { weight: 1, arbitrary: fc.constantFrom("?%00", "?a=%ZZ", "?index", "?_data=root", "?a[]=1&a[]=2") },
);

export function caseArb(targets: FuzzTarget[], known: string[]): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom(...targets).chain((target) =>
    fc.record({
      target: fc.constant(target),
      identity: fc.constantFrom<Identity>(...(target.kind === "api" ? (["anonymous", "session", "bearer"] as const) : (["anonymous", "session"] as const))),
      params: fc.constantFrom<FuzzCase["params"]>("known", "known", "known", "random-uuid", "garbage"),
      body: bodyArb(target, known),
      query: target.method === "GET" ? queryArb : fc.constant(""),
    }).map(({ body, ...rest }) => ({ ...rest, contentType: body.contentType, body: target.method === "GET" ? null : body.body })),
  );
}

// ——— the harness ———

/** Sessions and tokens of the fuzzing users, ids of real records, and the write counter. */
export class FuzzHarness {
  private readonly ids = new Map<string, string>();
  private readonly sessions = new Map<Role, string>();
  private readonly tokens = new Map<Role, string>();
  private users = new Map<Role, SessionUser>();
  /** The case sent before, for a failure's report (a connection a request left behind can fail the next). */
  private previous = "nothing";

  private readonly platform: TestPlatform;
  private readonly clock: TestClock;

  constructor(platform: TestPlatform, clock: TestClock) {
    this.platform = platform;
    this.clock = clock;
  }

  /** Real ids, one per path parameter name, so most requests reach a record; their values also seed the bodies. */
  get knownValues(): string[] {
    return [...this.ids.values()];
  }

  /** The authorization matrix's world (tests/fixtures/route-world.ts), with a fuzzing user of each role. */
  async setup(): Promise<void> {
    const w = await makeRouteWorld(this.platform.database.db, this.clock);
    this.users = new Map<Role, SessionUser>([
      ["admin", w.users.admin],
      ["judge", w.pricingCase.judge],
      ["lotJudge", w.lot.judge],
      ["agency", w.agency.member],
      ["platform", w.asked.member],
      ["bidder", w.users.bidder],
      ["party", w.pricingCase.applicant],
    ]);
    for (const [name, id] of Object.entries(w.ids)) this.ids.set(name, id);
    await this.installWriteCounter();
    await this.refreshIdentities();
  }

  /** Fresh sessions and tokens for every fuzzing user (a fuzzed sign-out or revocation may have ended them). */
  async refreshIdentities(): Promise<void> {
    const db = this.platform.database.db;
    for (const [role, user] of this.users) {
      const session = await db.transaction((tx) => createSession(tx, this.clock, user.id));
      this.sessions.set(role, sealToken(session.token, TEST_SESSION_SECRET));
      this.tokens.set(role, (await createApiToken(db, this.clock, user, "fuzz")).token);
    }
  }

  /** A row-level trigger on every table counts its writes, inside the writing transaction (a rollback undoes the count). */
  private async installWriteCounter(): Promise<void> {
    const sql = this.platform.database.sql;
    await sql.unsafe(`
      create table if not exists fuzz_writes (table_name text primary key, n bigint not null);
      create or replace function fuzz_count() returns trigger language plpgsql as $$
      begin
        insert into fuzz_writes values (tg_table_name, 1) on conflict (table_name) do update set n = fuzz_writes.n + 1;
        return null;
      end $$;`);
    const tables = await sql<{ name: string }[]>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'fuzz_writes' and table_name <> all(${WRITES_ALLOWED_ON_REFUSAL})`;
    for (const { name } of tables) {
      await sql.unsafe(`drop trigger if exists fuzz_count on "${name}"; create trigger fuzz_count after insert or update or delete on "${name}" for each row execute function fuzz_count()`);
    }
  }

  /** Every write counted so far (the answers that were allowed to write): shows the counter counts. */
  async totalWrites(): Promise<number> {
    return [...(await this.writes()).values()].reduce((a, b) => a + b, 0);
  }

  private async writes(): Promise<Map<string, number>> {
    const rows = await this.platform.database.sql<{ table_name: string; n: string }[]>`select table_name, n from fuzz_writes`;
    return new Map(rows.map((r) => [r.table_name, Number(r.n)]));
  }

  private pathOf(c: FuzzCase): string {
    const param = (name: string) =>
      c.params === "known" ? (this.ids.get(name) ?? "00000000-0000-4000-8000-000000000001") : c.params === "random-uuid" ? "7b0e5c1e-8a7d-4c1b-9a55-2f1f2f3c4d5e" : "%00'\"<x>";
    return fillPath(c.target.pattern, new Proxy({}, { get: (_t, name: string) => param(name) }) as Record<string, string>) + c.query;
  }

  /** Sends one case and checks it: below 500, and a refusal wrote nothing. */
  async send(c: FuzzCase): Promise<{ status: number; failure: FuzzFailure | null }> {
    const headers: Record<string, string> = { origin: this.platform.url };
    const role = roleFor(c.target.pattern);
    if (c.identity === "session") headers.cookie = `sid=${this.sessions.get(role)}`;
    if (c.identity === "bearer") headers.authorization = `Bearer ${this.tokens.get(role)}`;
    if (c.contentType !== null) headers["content-type"] = c.contentType;
    const before = await this.writes();
    const previous = this.previous;
    this.previous = describe(c, this.pathOf(c)).slice(0, 200);
    let status = 0;
    let text = "";
    try {
      const res = await fetch(this.platform.url + this.pathOf(c), { method: c.target.method, headers, body: c.body as BodyInit | null, redirect: "manual", signal: AbortSignal.timeout(15_000) });
      status = res.status;
      text = (await res.text()).slice(0, 300);
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      return { status, failure: { reason: "no answer", case: describe(c, this.pathOf(c)), status, detail: `${String(error)}${cause ? ` (${String(cause)})` : ""}; after ${previous}` } };
    }
    if (status >= 500) return { status, failure: { reason: "5xx", case: describe(c, this.pathOf(c)), status, detail: text } };
    if (status >= 400) {
      const after = await this.writes();
      const wrote = [...after].filter(([table, n]) => n !== (before.get(table) ?? 0)).map(([table, n]) => `${table} +${n - (before.get(table) ?? 0)}`);
      if (wrote.length > 0) return { status, failure: { reason: "refusal wrote", case: describe(c, this.pathOf(c)), status, detail: wrote.join(", ") } };
    }
    return { status, failure: null };
  }
}

function describe(c: FuzzCase, url: string): string {
  const body = c.body === null ? "" : typeof c.body === "string" ? c.body : Buffer.from(c.body).toString("latin1");
  return `${c.target.method} ${url} as ${c.identity}, ${c.contentType ?? "no content type"}: ${JSON.stringify(body.slice(0, 200))}${body.length > 200 ? ` …(${body.length} chars)` : ""}`;
}

/** Routes whose success may end the fuzzing users' sessions or tokens. */
const ENDS_SESSIONS = /^\/(sign-out|account\/(sessions|tokens)|admin\/users|api\/v1\/admin\/users)/;

/** Runs `runs` cases (seeded: the same seed sends the same requests) and gathers the figures. */
export async function runFuzz(harness: FuzzHarness, options: { runs: number; seed: number; onProgress?: (done: number) => void }): Promise<FuzzFigures> {
  const targets = fuzzTargets();
  const arb = caseArb(targets, harness.knownValues);
  const figures: FuzzFigures = {
    requests: 0,
    targets: { api: targets.filter((t) => t.kind === "api").length, form: targets.filter((t) => t.kind === "form").length },
    seconds: 0,
    byStatus: {},
    byTarget: {},
    serverErrors: 0,
    refusalsThatWrote: 0,
    failures: [],
  };
  const started = Date.now();
  const batch = 100;
  for (let done = 0; done < options.runs; done += batch) {
    const cases = fc.sample(arb, { numRuns: Math.min(batch, options.runs - done), seed: options.seed + done });
    for (const c of cases) {
      const { status, failure } = await harness.send(c);
      figures.requests++;
      figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1;
      const target = (figures.byTarget[`${c.target.method} ${c.target.pattern}`] ??= {});
      target[status] = (target[status] ?? 0) + 1;
      if (failure) {
        figures.failures.push(failure);
        if (failure.reason === "5xx") figures.serverErrors++;
        if (failure.reason === "refusal wrote") figures.refusalsThatWrote++;
      }
      if (status > 0 && status < 400 && ENDS_SESSIONS.test(c.target.pattern)) await harness.refreshIdentities();
    }
    options.onProgress?.(figures.requests);
  }
  figures.seconds = (Date.now() - started) / 1000;
  return figures;
}

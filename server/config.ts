import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { MAX_UPLOAD_BYTES } from "../auction/index.ts";
import { DRAW_SEED_KEY_MIN_LENGTH, drawSeedKeys, type DrawSeedKeys } from "../appraisal/index.ts";
import type { BodyLimits } from "./body-limit.ts";

const KIB = 1024;
const MIB = 1024 * KIB;

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  DATA_DIR: z.string().default(".data"),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  // P6: the key draw seeds are derived under (ADR 009). Kept like SESSION_SECRET, never in the database; the same
  // on every node. To rotate, set the new key here and move the old one to DRAW_SEED_KEYS_RETIRED.
  DRAW_SEED_KEY: z.string().min(DRAW_SEED_KEY_MIN_LENGTH, `DRAW_SEED_KEY must be at least ${DRAW_SEED_KEY_MIN_LENGTH} characters`).optional(),
  // Comma-separated former keys: draws opened under one of them still run under it.
  DRAW_SEED_KEYS_RETIRED: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((k) => k.trim()).filter(Boolean))
    .refine((keys) => keys.every((k) => k.length >= DRAW_SEED_KEY_MIN_LENGTH), `each of DRAW_SEED_KEYS_RETIRED must be at least ${DRAW_SEED_KEY_MIN_LENGTH} characters`),
  // A session unused this many minutes ends (besides its 12-hour lifetime).
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(720).default(30),
  // Comma-separated origins allowed to open sockets; the site's own origin is always allowed.
  ALLOWED_ORIGINS: z.string().default(""),
  SEED_DEMO: z.enum(["0", "1"]).optional(),
  // Express "trust proxy": which hops may set X-Forwarded-For (client address for rate limits and logs).
  TRUST_PROXY: z.string().default("loopback"),
  // Browser tests only: a clock they can move through POST /__test/clock. Only on a loopback HOST.
  TEST_CLOCK: z.enum(["0", "1"]).default("0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // How Socket.IO nodes share lot rooms: "none" (one node, rooms in memory) or "postgres" (several nodes on one database).
  LIVE_ADAPTER: z.enum(["none", "postgres"]).default("none"),
  // Live sockets: how many one client address may hold open, and how often one socket may join lots or ask who it is.
  LIVE_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  LIVE_JOINS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  LIVE_WHOAMI_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  // Bounds while the database is slow or gone: a connection attempt, a statement, and a whole request.
  DB_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  // Request bodies: the most an anonymous request, a signed-in one, and a signed-in upload may send (server/body-limit.ts).
  BODY_LIMIT_ANONYMOUS_KIB: z.coerce.number().int().min(1).default(64),
  BODY_LIMIT_SIGNED_IN_KIB: z.coerce.number().int().min(1).default(512),
  // The largest file (a lot's video, 50 MiB, auction/lot-files.ts) plus the form around it.
  BODY_LIMIT_UPLOAD_MIB: z.coerce.number().int().min(1).default(MAX_UPLOAD_BYTES / MIB),
  // Where money moves (ADR 019): "simulated" (embedded, moves no real money) or "stripe" (Stripe, or stripe-mock).
  PAYMENT_GATEWAY: z.enum(["simulated", "stripe"]).default("simulated"),
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  // Stripe's API address; unset means api.stripe.com. stripe-mock: 127.0.0.1, 12111, http.
  STRIPE_API_HOST: z.string().min(1).optional(),
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(["http", "https"]).optional(),
  // Where notices are e-mailed (ADR 023): an SMTP server, e.g. smtp://127.0.0.1:1025 (Mailpit) or
  // smtps://user:password@smtp.example.com. Unset: e-mails wait in the outbox table and pages say so.
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default("司法拍卖平台 <no-reply@auction.localhost>"),
  // The site's address in e-mailed links; unset: http://localhost:PORT.
  PUBLIC_URL: z.string().url().optional(),
});

/** Which payment gateway adapter the platform uses, and how to reach Stripe when it is Stripe. */
export type GatewaySettings =
  | { kind: "simulated" }
  | { kind: "stripe"; apiKey: string; webhookSecret: string; host?: string; port?: number; protocol?: "http" | "https" };

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  databaseUrl: string | undefined;
  embeddedPort: number;
  dataDir: string;
  sessionSecret: string;
  /** The keys draw seeds are derived under (P6, appraisal/draw-seed.ts). */
  drawSeedKeys: DrawSeedKeys;
  /** The idle timeout of sessions, ms (identity/sessions.ts). */
  sessionIdleMs: number;
  allowedOrigins: string[];
  /** Demo data goes into an empty embedded database by default, into a real one only when asked. */
  seedDemo: boolean;
  logLevel: string;
  trustProxy: string | boolean;
  testClock: boolean;
  /** Cross-node fan-out for Socket.IO rooms (see docs/decisions/008-live-adapter.md). */
  liveAdapter: "none" | "postgres";
  /** Live socket limits per client address and per socket (realtime/limits.ts). */
  liveLimits: { connectionsPerAddress: number; joinsPerMinute: number; whoamiPerMinute: number };
  /** How long a connection attempt and a statement may take (server/database.ts). */
  dbTimeouts: { connectSeconds: number; statementMs: number };
  /** A request not answered by then gets 503 (server/http-app.ts). */
  requestTimeoutMs: number;
  /** Request body limits, bytes (server/body-limit.ts). */
  bodyLimits: BodyLimits;
  gatewaySettings: GatewaySettings;
  /** The SMTP server notices are e-mailed through; null: they stay in the outbox. */
  smtpUrl: string | null;
  mailFrom: string;
  /** The site's own address for links in e-mails; null: the address it listens on. */
  publicUrl: string | null;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  // A movable clock is for browser tests on this machine only: never on a server others can reach.
  if (e.TEST_CLOCK === "1" && !["127.0.0.1", "localhost", "::1"].includes(e.HOST)) {
    throw new Error("Invalid configuration:\n  TEST_CLOCK: only allowed with HOST=127.0.0.1 (a loopback address)");
  }
  const gatewaySettings = gatewaySettingsOf(e);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    embeddedPort: e.EMBEDDED_PG_PORT,
    dataDir: e.DATA_DIR,
    sessionSecret: e.SESSION_SECRET ?? localSecret(e.DATA_DIR, "session-secret"),
    drawSeedKeys: drawSeedKeys(e.DRAW_SEED_KEY ?? localSecret(e.DATA_DIR, "draw-seed-key"), e.DRAW_SEED_KEYS_RETIRED),
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60 * 1000,
    allowedOrigins: e.ALLOWED_ORIGINS.split(",").map((s) => s.trim()).filter(Boolean),
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === "1" : !e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY === "true" ? true : e.TRUST_PROXY === "false" ? false : e.TRUST_PROXY,
    testClock: e.TEST_CLOCK === "1",
    liveAdapter: e.LIVE_ADAPTER,
    liveLimits: { connectionsPerAddress: e.LIVE_CONNECTIONS_PER_ADDRESS, joinsPerMinute: e.LIVE_JOINS_PER_MINUTE, whoamiPerMinute: e.LIVE_WHOAMI_PER_MINUTE },
    dbTimeouts: { connectSeconds: e.DB_CONNECT_TIMEOUT_SECONDS, statementMs: e.DB_STATEMENT_TIMEOUT_MS },
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    bodyLimits: { anonymous: e.BODY_LIMIT_ANONYMOUS_KIB * KIB, signedIn: e.BODY_LIMIT_SIGNED_IN_KIB * KIB, upload: e.BODY_LIMIT_UPLOAD_MIB * MIB },
    gatewaySettings,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, "") ?? null,
  };
}

/** Stripe needs its secret key and the webhook signing secret: without either no payment could be made or confirmed. */
function gatewaySettingsOf(e: z.infer<typeof envSchema>): GatewaySettings {
  if (e.PAYMENT_GATEWAY === "simulated") return { kind: "simulated" };
  const missing = (["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"] as const).filter((name) => !e[name]);
  if (missing.length > 0) throw new Error(`Invalid configuration:\n${missing.map((name) => `  ${name}: required when PAYMENT_GATEWAY=stripe`).join("\n")}`);
  return {
    kind: "stripe",
    apiKey: e.STRIPE_SECRET_KEY!,
    webhookSecret: e.STRIPE_WEBHOOK_SECRET!,
    ...(e.STRIPE_API_HOST !== undefined && { host: e.STRIPE_API_HOST }),
    ...(e.STRIPE_API_PORT !== undefined && { port: e.STRIPE_API_PORT }),
    ...(e.STRIPE_API_PROTOCOL !== undefined && { protocol: e.STRIPE_API_PROTOCOL }),
  };
}

/** Without SESSION_SECRET (DRAW_SEED_KEY), one is made once and kept beside the embedded database (single-machine use). */
function localSecret(dataDir: string, name: "session-secret" | "draw-seed-key"): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

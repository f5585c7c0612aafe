import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const ROLES = ["bidder", "judge", "clerk", "agency_member", "inquiry_platform", "party", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const courts = pgTable("courts", {
  id: uuid("id").primaryKey().defaultRandom(),
  // Court code as used in case numbers, e.g. 京0105.
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  regionCode: text("region_code").notNull(),
  /** The court's setting whether debtors may bid in its sales; allowed by default (C9, P1). */
  debtorMayBid: boolean("debtor_may_bid").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
});

export const agencies = pgTable("agencies", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  creditCode: text("credit_code").notNull().unique(),
  regionCode: text("region_code").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
});

/** An online price-inquiry platform (询价平台, A6); its staff sign in as `inquiry_platform` users. */
export const inquiryPlatforms = pgTable("inquiry_platforms", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  creditCode: text("credit_code").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
});

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: text("username").notNull().unique(),
    passwordHash: text("password_hash").notNull(),
    displayName: text("display_name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    courtId: uuid("court_id").references(() => courts.id),
    agencyId: uuid("agency_id").references(() => agencies.id),
    platformId: uuid("platform_id").references(() => inquiryPlatforms.id),
    disabled: boolean("disabled").notNull().default(false),
    /** Resident ID of court, platform and agency staff: barred from bidding under any account (C7). */
    staffIdentityNumber: text("staff_identity_number"),
    /** Where notices are e-mailed (optional; set on the account page). */
    email: text("email"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    check("users_role_check", sql`${t.role} in ('bidder','judge','clerk','agency_member','inquiry_platform','party','admin')`),
    // Court staff belong to a court, agency members to an agency.
    check("users_court_staff_check", sql`${t.role} not in ('judge','clerk') or ${t.courtId} is not null`),
    check("users_agency_member_check", sql`${t.role} <> 'agency_member' or ${t.agencyId} is not null`),
    check("users_platform_member_check", sql`${t.role} <> 'inquiry_platform' or ${t.platformId} is not null`),
  ],
);

export const BIDDER_KINDS = ["person", "company"] as const;
export type BidderKind = (typeof BIDDER_KINDS)[number];

/** Real-name data of a bidder: a person (resident ID) or a company (unified social credit code). */
export const bidderProfiles = pgTable(
  "bidder_profiles",
  {
    userId: uuid("user_id").primaryKey().references(() => users.id),
    kind: text("kind", { enum: BIDDER_KINDS }).notNull(),
    legalName: text("legal_name").notNull(),
    // Resident ID number (person) or unified social credit code (company); one account per identity.
    identityNumber: text("identity_number").notNull().unique(),
    phone: text("phone").notNull(),
    /**
     * C6: a company bids through a person the court has confirmed before bidding. Confirmed per
     * account, not per lot, so the court never learns which lots the company registered for (P4).
     */
    courtConfirmedAt: timestamp("court_confirmed_at", { withTimezone: true }),
    /**
     * C6: a person may bid through a proxy (代理人), whom the court confirms, per account, like a
     * company's agent. Declaring or changing the proxy clears the confirmation above.
     */
    proxyName: text("proxy_name"),
    proxyIdentityNumber: text("proxy_identity_number"),
    proxyPowerOfAttorney: text("proxy_power_of_attorney"),
    courtConfirmedBy: uuid("court_confirmed_by").references(() => users.id),
    /**
     * When a real-name service confirmed that the legal name belongs to the identity number (identity/real-name.ts),
     * and by which method ("simulated" for the built-in adapter). Registering for a lot needs it (C2, C6).
     */
    realNameVerifiedAt: timestamp("real_name_verified_at", { withTimezone: true }),
    realNameMethod: text("real_name_method"),
  },
  (t) => [check("bidder_profiles_kind_check", sql`${t.kind} in ('person','company')`)],
);

/** Server-side sessions. The cookie carries a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id").notNull().references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    /** The absolute end of the session, whatever its use. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /**
     * Last use, written at most once a minute (identity/sessions.ts): the idle timeout counts from it. The default
     * only fills sessions that existed before the column.
     */
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull().defaultNow(),
    /** Address and browser of the last recorded use, shown to the user in their session list. */
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * Attempts counted per key within a fixed window: sign-in per account ("sign-in:user:…"), per address
 * ("sign-in:ip:…") and per known device ("sign-in:device:…"), registration per address ("register:ip:…").
 * One row per key, bumped by a single upsert, so parallel attempts on several nodes each count (ADR 014).
 */
export const attemptCounters = pgTable(
  "attempt_counters",
  {
    key: text("key").primaryKey(),
    windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
    attempts: integer("attempts").notNull(),
  },
  (t) => [index("attempt_counters_window_idx").on(t.windowStartedAt)],
);

/**
 * Notices for an account holder (the notification centre): that someone tried to register another account with
 * their identity number (the anonymous registrant is never told; ADR 014); that the court suspended, resumed,
 * withdrew, ended or revoked a lot they registered for (G3, P2); reminders about a lot they follow; that their bid
 * was outbid; that a lot they bid on was won or lost; their deposit's status; a court deadline coming due. Each
 * notice is also delivered by the channels in `notice_deliveries` (ADR 023).
 */
export const ACCOUNT_NOTICE_KINDS = [
  "identity_reuse_attempt",
  "lot_suspended",
  "lot_stayed",
  "lot_resumed",
  "lot_withdrawn",
  "lot_relisted",
  "lot_revoked",
  "lot_starts_soon",
  "lot_ends_soon",
  "outbid",
  "lot_won",
  "lot_lost",
  "deposit_received",
  "deposit_released",
  "ruling_due",
  "handover_due",
  "viewing_soon",
  "viewing_cancelled",
] as const;
export type AccountNoticeKind = (typeof ACCOUNT_NOTICE_KINDS)[number];

export const accountNotices = pgTable(
  "account_notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull().references(() => users.id),
    kind: text("kind", { enum: ACCOUNT_NOTICE_KINDS }).notNull(),
    /** The lot a lot notice is about. */
    lotId: uuid("lot_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    readAt: timestamp("read_at", { withTimezone: true }),
    /**
     * A notice that must not repeat carries a key unique per account: a reminder once per lot, an outbid alert
     * once until it is read (reading clears its key, so the next outbid alerts again).
     */
    dedupeKey: text("dedupe_key"),
  },
  (t) => [
    index("account_notices_user_idx").on(t.userId, t.createdAt),
    index("account_notices_unread_idx").on(t.userId).where(sql`${t.readAt} is null`),
    uniqueIndex("account_notices_dedupe_idx").on(t.userId, t.dedupeKey),
    check("account_notices_kind_check", sql.raw(`kind in (${ACCOUNT_NOTICE_KINDS.map((k) => `'${k}'`).join(",")})`)),
  ],
);

export const NOTICE_CHANNELS = ["site", "email", "sms"] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];
export const DELIVERY_STATUSES = ["pending", "sent", "failed"] as const;

/**
 * The outbox: one row per notice and channel, written in the notice's transaction. A pg-boss job claims pending rows
 * (FOR UPDATE SKIP LOCKED, so each is sent by one node), sends them and marks them sent, or retries later. Without an
 * SMTP server e-mails stay pending here.
 */
export const noticeDeliveries = pgTable(
  "notice_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    noticeId: uuid("notice_id")
      .notNull()
      .references(() => accountNotices.id),
    channel: text("channel", { enum: NOTICE_CHANNELS }).notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull(),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("notice_deliveries_notice_channel").on(t.noticeId, t.channel),
    index("notice_deliveries_pending_idx").on(t.channel, t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    check("notice_deliveries_channel_check", sql`${t.channel} in ('site','email','sms')`),
    check("notice_deliveries_status_check", sql`${t.status} in ('pending','sent','failed')`),
  ],
);

/** Bearer tokens for machine clients (court case-management systems, agencies). Only the SHA-256 is stored. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull().references(() => users.id),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /**
     * Every token ends; the owner picks when at creation (identity/api-tokens.ts). The default only dates tokens made
     * before expiry existed: 90 days from the migration (docs/decisions/005-sessions.md).
     */
    expiresAt: timestamp("expires_at", { withTimezone: true })
      .notNull()
      .default(sql`now() + interval '90 days'`),
    /**
     * What the token may do, as `area:access` (API_SCOPES in identity/api-scopes.ts). The default only fills tokens
     * made before scopes existed: every scope, so they keep working until they expire; new tokens always name theirs.
     */
    scopes: text("scopes")
      .array()
      .notNull()
      .default(sql`array['cases:read','cases:write','lots:write','appraisal:read','appraisal:write','admin:read','admin:write']::text[]`),
  },
  (t) => [
    index("api_tokens_user_idx").on(t.userId),
    check("api_tokens_scopes_check", sql`${t.scopes} <@ array['cases:read','cases:write','lots:write','appraisal:read','appraisal:write','admin:read','admin:write']::text[]`),
  ],
);

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "../../app/i18n/en.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { ERRORS } from "../../core/errors.ts";
import { ACCOUNT_NOTICE_KINDS, ROLES } from "../../db/schema/identity.ts";
import { ASSET_CATEGORIES, INTERVENTION_KINDS, LOT_ROUNDS, REVOCATION_GROUNDS, WITHDRAWAL_GROUNDS, PARTY_ROLES, PRICE_METHODS, PRIORITY_HOLDER_KINDS, REGISTRATION_STATUSES } from "../../db/schema/auction.ts";
import { INSTRUMENTS } from "../../core/rules.ts";
import { B9_WARNINGS, HOUSING_CHOICES, LOT_PHASES, SEARCH_SORTS } from "../../auction/index.ts";
import { DEADLINE_KINDS } from "../../appraisal/index.ts";
import { keysInSource, messageKeysInSource } from "../support/i18n-keys.ts";
import { FEE_KINDS, TRANSFER_PURPOSES } from "../../db/schema/escrow.ts";

const root = join(import.meta.dirname, "../..");

/** Every leaf of a nested dictionary as a dotted path, with its text. */
function leaves(dict: object, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(dict)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object") for (const [p, v] of leaves(value, path)) out.set(p, v);
    else out.set(path, value);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const zhLeaves = leaves(zhCN);
const enLeaves = leaves(en);

// Keys built at run time: each template (with ${…} written as ${}) and the values it can take.
const FIELD_NAMES = [
  ...["kind", "legalName", "identityNumber", "phone", "username", "password"],
  // Cases, parties, assets and reference prices (court pages).
  ...["caseNumber", "enforcementBasis", "role", "name", "claimFen", "category", "regionCode", "title", "description", "encumbrances"],
  ...["occupancy", "lease", "taxes", "knownDefects", "seizedAt", "method", "amountFen", "documentTitle", "validFrom", "validUntil"],
  // Lot set-up, priority holders and announcement revisions.
  ...["assetId", "startingPriceFen", "depositFen", "incrementFen", "biddingStartsAt", "biddingEndsAt", "balanceDueDays", "panelDecision"],
  ...["depositAccount", "transferTaxes", "courtContact", "partiesNotifiedAt", "loanAvailable", "rank", "basis", "reason"],
  // Registration and bidding.
  ...["acceptWarnings", "declareNotBarred", "housingEligibilityDeclared", "clientBidId"],
];
/** Keys (by prefix) that interpolate values, and which. */
const INTERPOLATED: Record<string, readonly string[]> = {
  "simulatedBank.": ["last4", "code", "seconds"],
};

const TEMPLATES: Record<string, readonly string[]> = {
  "deposit.status.${}": ["requires_action", "processing", "failed", "refused"],
  "deposit.reason.${}": ["card_declined", "processing_error", "DEPOSIT_HOLDER_MISMATCH", "LOT_CLOSED", "LOT_SUSPENDED", "ONE_REGISTRATION_PER_PERSON", "other"],
  "lot.hold.kind.${}": INTERVENTION_KINDS,
  "round.${}": LOT_ROUNDS,
  "fees.kind.${}": FEE_KINDS,
  "withdrawalGround.${}": WITHDRAWAL_GROUNDS,
  "revocationGround.${}": REVOCATION_GROUNDS,
  "simulatedBank.testCards.${}": ["succeeds", "declined", "needs_confirmation", "fails_later"],
  "fields.${}": FIELD_NAMES,
  "roles.${}": ROLES,
  "register.kind.${}": ["person", "company"],
  "errors.${}": Object.keys(ERRORS),
  "errors.page.${}.title": ["badRequest", "forbidden", "notFound", "unauthenticated", "rateLimited", "tooLarge", "unavailable", "unexpected"],
  "errors.page.${}.body": ["badRequest", "forbidden", "notFound", "unauthenticated", "rateLimited", "tooLarge", "unavailable", "unexpected"],
  "validation.residentId.${}": ["LENGTH", "FORMAT", "REGION", "BIRTH_DATE", "CHECK_DIGIT"],
  "validation.creditCode.${}": ["LENGTH", "FORMAT", "CHECK_CHARACTER"],
  "phase.${}": LOT_PHASES,
  // The public search's choices (app/routes/lots.tsx).
  "lots.search.ratio.${}": ["90", "80", "70", "60", "50"],
  "lots.search.housing.${}": HOUSING_CHOICES,
  "lots.search.sort.${}": SEARCH_SORTS,
  "category.${}": ASSET_CATEGORIES,
  "priorityHolderKind.${}": PRIORITY_HOLDER_KINDS,
  "law.${}": Object.keys(INSTRUMENTS),
  "priceMethod.${}": PRICE_METHODS,
  // The lot's documents, their rows, and the basis of its reference price (app/lib/lot-documents.ts, lot-prices.tsx).
  "lotDocs.${}": ["announcement", "notice"],
  "lotDocs.field.${}": Object.keys(zhCN.lotDocs.field),
  "lotPrice.basis.${}": PRICE_METHODS,
  // Payments and the escrow's money (deposit, balance, fund flow, reconciliation).
  "balance.status.${}": ["requires_action", "processing", "failed", "refused"],
  "myPayments.state.${}": ["paying", "failed", "refused", "held", "refund_on_way", "refunded", "applied", "forfeited"],
  "myPayments.balanceStatus.${}": ["due", "paid", "defaulted"],
  "fundFlow.role.${}": ["gateway", "bidder", "buyer", "case_escrow", "court_costs", "creditor", "debtor"],
  "fundFlow.purpose.${}": TRANSFER_PURPOSES,
  "fundFlow.state.${}": ["done", "in_progress", "cancelled"],
  "reconciliation.kind.${}": ["missing_at_gateway", "missing_on_platform", "amount", "status", "not_booked"],
  "reconciliation.record.${}": ["payment", "refund", "payout"],
  "reconciliation.status.${}": ["created", "requires_payment_method", "requires_action", "processing", "succeeded", "refused", "failed", "pending", "sent", "refunded", "canceled"],
  "partyRole.${}": PARTY_ROLES,
  "account.notice.${}": ACCOUNT_NOTICE_KINDS,
  "registrationStatus.${}": REGISTRATION_STATUSES,
  "warnings.${}": B9_WARNINGS,
  "appraisal.deadline.${}": DEADLINE_KINDS,
};

const normalizeTemplate = (t: string) => t.replace(/\$\{[^}]*\}/g, "${}");

/** Literal keys and key templates found in the source, each with the file it came from. */
function keysUsed() {
  const literal = new Map<string, string>();
  const templates = new Map<string, string>();
  const add = (key: string, file: string) => {
    if (key.includes("${")) templates.set(normalizeTemplate(key), file);
    else literal.set(key, file);
  };

  for (const file of sourceFiles(join(root, "app")).filter((f) => !f.includes(join("app", "i18n")))) {
    const src = readFileSync(file, "utf8");
    for (const key of keysInSource(src, file.endsWith(".tsx"))) add(key, relative(root, file));
  }

  // Message keys set by schemas and use cases (validation.*, and the auction's lot set-up rules lot.error.*).
  const validationSources = [...sourceFiles(join(root, "identity")), ...sourceFiles(join(root, "auction")), ...sourceFiles(join(root, "app", "lib")), join(root, "core", "validation.ts")];
  for (const file of validationSources) {
    for (const key of messageKeysInSource(readFileSync(file, "utf8"))) add(key, relative(root, file));
  }
  return { literal, templates };
}

describe("translation dictionaries", () => {
  it("zh-CN and en have exactly the same key paths", () => {
    const zhKeys = [...zhLeaves.keys()].sort();
    const enKeys = [...enLeaves.keys()].sort();
    expect(zhKeys.filter((k) => !enLeaves.has(k)), "in zh-CN only").toEqual([]);
    expect(enKeys.filter((k) => !zhLeaves.has(k)), "in en only").toEqual([]);
  });

  it("has only non-empty strings as leaves", () => {
    for (const [lang, dict] of [["zh-CN", zhLeaves], ["en", enLeaves]] as const)
      for (const [key, value] of dict) {
        expect(typeof value, `${lang} ${key}`).toBe("string");
        expect(String(value).trim(), `${lang} ${key}`).not.toBe("");
      }
  });

  it("writes zh-CN in Chinese and en without Chinese characters", () => {
    for (const [key, value] of zhLeaves) expect(value, key).toMatch(/\p{Script=Han}/u);
    for (const [key, value] of enLeaves) expect(value, key).not.toMatch(/\p{Script=Han}/u);
  });

  it("does not use i18next nesting or interpolation markers by accident", () => {
    // Only "…Named" labels interpolate {{name}} (e.g. an accessible button label naming its row), and the payment
    // pages the values listed in INTERPOLATED.
    for (const [key, value] of [...zhLeaves, ...enLeaves]) {
      const allowed = [...(key.endsWith("Named") ? ["name"] : []), ...(Object.entries(INTERPOLATED).find(([prefix]) => key.startsWith(prefix))?.[1] ?? [])];
      const text = allowed.reduce((t, name) => t.replaceAll(`{{${name}}}`, ""), String(value));
      expect(text, key).not.toMatch(/\{\{|\$t\(/);
    }
  });
});

describe("keys used by the app", () => {
  const { literal, templates } = keysUsed();

  it("finds the keys (the extraction still works)", () => {
    expect(literal.size).toBeGreaterThan(40);
    expect(literal.has("nav.skip")).toBe(true);
    expect(literal.has("register.hint.legalName")).toBe(true);
    expect(literal.has("account.createdAt")).toBe(true);
    expect(literal.has("validation.usernameTaken")).toBe(true);
    expect(templates.has("roles.${}")).toBe(true);
    expect(templates.has("errors.${}")).toBe(true);
  });

  it("every literal key exists in both languages", () => {
    const missing = [...literal].filter(([key]) => !zhLeaves.has(key) || !enLeaves.has(key)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it("every key template is known, and each of its values exists in both languages", () => {
    const unknown = [...templates].filter(([t]) => !(t in TEMPLATES)).map(([t, file]) => `${t} (${file})`);
    expect(unknown, "add new key templates to TEMPLATES in this test").toEqual([]);
    const missing: string[] = [];
    for (const [template, values] of Object.entries(TEMPLATES))
      for (const value of values) {
        const key = template.replace("${}", value);
        if (!zhLeaves.has(key) || !enLeaves.has(key)) missing.push(key);
      }
    expect(missing).toEqual([]);
  });
});

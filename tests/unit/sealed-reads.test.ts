import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SOURCE_DIRS = ["app", "auction", "appraisal", "escrow", "identity", "realtime", "server", "core"];

function sourceFiles(dir: string): string[] {
  const full = path.join(ROOT, dir);
  let entries;
  try {
    entries = readdirSync(full, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name)).map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/**
 * Files that import the `registrations` or `bidderProfiles` tables: from the schema, or from the owning
 * context's index.ts, which re-exports the tables others may read (docs/decisions/012-table-ownership.md).
 */
function readersOf(table: string): string[] {
  const uses = new RegExp(`\\b${table}\\b`);
  const tableImports = /import\s*{([^}]*)}\s*from\s*"[^"]*(?:db\/schema|appraisal|auction|escrow|identity)\/index\.ts"/g;
  return SOURCE_DIRS.flatMap(sourceFiles).filter((file) => {
    const source = readFileSync(path.join(ROOT, file), "utf8");
    return [...source.matchAll(tableImports)].some((m) => uses.test(m[1]!));
  });
}

describe("P4, I1: who may read the tables that link a person to a lot", () => {
  it("P4: only the viewings module reads who booked a viewing (the court sees names, the public free places only)", () => {
    expect(readersOf("lotViewingBookings").sort()).toEqual(["auction/viewings.ts"]);
  });

  it("only the auction's sealed modules read registrations", () => {
    expect(readersOf("registrations").sort()).toEqual(["auction/bidding.ts", "auction/public-reads.ts", "auction/registration.ts"]);
  });

  it("real-name profiles are read only by identity, registration, bidding and the sealed public reads", () => {
    expect(readersOf("bidderProfiles").sort()).toEqual([
      // The appraisal's party lookup no longer reads profiles: a party acts through a court-confirmed link (ADR 016).
      "auction/bidding.ts",
      "auction/public-reads.ts",
      "auction/registration.ts",
      "identity/account-notices.ts",
      "identity/account.ts",
      // A notice's SMS goes to the account holder's own phone, read by user id when it is queued and sent.
      "identity/notice-deliveries.ts",
      "identity/proxies.ts",
      // The bidder's own profile, by user id: the name and number a real-name service checks.
      "identity/real-name.ts",
      "identity/register.ts",
      "server/demo-seed.ts",
    ]);
  });
});

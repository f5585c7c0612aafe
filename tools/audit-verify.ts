import { verifyChain } from "../core/audit.ts";
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/database.ts";

// `npm run audit:verify`: walks the audit chain of the configured database (DATABASE_URL, or the
// embedded one) and names the first event that was changed, removed or inserted out of order.
const database = await openDatabase(loadConfig());
let exitCode = 0;
try {
  const verdict = await verifyChain(database.db);
  if (verdict.ok) {
    console.log(`audit chain intact: ${verdict.count} events, last hash ${verdict.lastHash}`);
  } else {
    console.error(`audit chain BROKEN at event #${verdict.brokenSeq} (${verdict.reason}); the ${verdict.count} events before it are intact`);
    exitCode = 1;
  }
} finally {
  await database.close();
}
process.exit(exitCode);

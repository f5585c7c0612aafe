import { verifyChain, verifyEventTypes } from "../core/audit.ts";
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/database.ts";

// `npm run audit:verify`: walks the audit chain of the configured database (DATABASE_URL, or the
// embedded one) and names the first event that was changed, removed or inserted out of order; then
// checks every event against its action in AUDIT_EVENTS (core/audit-events.ts) and names each one whose
// action is unknown or whose entity type or data does not fit. Either finding exits 1.
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
  const types = await verifyEventTypes(database.db);
  for (const e of types.illFormed) console.error(`audit event #${e.seq} (${e.action}) ILL-FORMED: ${e.problem}`);
  if (types.illFormed.length === 0) {
    console.log(`audit events well-formed: all ${types.count} fit their actions' schemas`);
  } else {
    console.error(`audit events ILL-FORMED: ${types.illFormed.length} of ${types.count} do not fit their actions' schemas`);
    exitCode = 1;
  }
} finally {
  await database.close();
}
process.exit(exitCode);

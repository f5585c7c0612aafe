import { verifyLedger } from "../escrow/index.ts";
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/database.ts";

// `npm run ledger:verify`: recomputes every ledger account's balances from its transfers (DATABASE_URL, or the
// embedded database) and compares them with the stored ones; checks that the ledger's total is zero and that no
// account breaks its flags (P14). Exits 1 naming the first difference.
const database = await openDatabase(loadConfig());
let exitCode = 0;
try {
  const { accounts, transfers, differences } = await verifyLedger(database.db);
  const [first] = differences;
  if (first) {
    console.error(`ledger DIFFERS at account ${first.accountKey}, ${first.column}: stored ${first.stored}, recomputed ${first.recomputed} (${differences.length} differences in all)`);
    exitCode = 1;
  } else {
    console.log(`ledger balanced: ${accounts} accounts agree with their ${transfers} transfers, total 0, no flag broken`);
  }
} finally {
  await database.close();
}
process.exit(exitCode);

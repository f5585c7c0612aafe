import { DRAW_ALGORITHM_V1, verifyDraw, type DrawVerdict } from "../appraisal/index.ts";
import { isAppError } from "../core/errors.ts";
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/database.ts";

// `npm run draw:verify -- <drawId>`: recomputes an agency draw (A13, P6) from the configured database
// (DATABASE_URL, or the embedded one) and says whether the stored result and ranking are what the published
// list (with each agency's rotation count, from v2), the parties' entropy and the revealed seed give, by the
// algorithm the draw was opened with. Exit 0: matches; 1: does not (or not drawn yet);
// 2: usage error (no draw id, a malformed one, or no such draw).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const args = process.argv.slice(2).filter((a) => a !== "--");

if (args.length !== 1 || !UUID.test(args[0]!)) {
  console.error("usage: npm run draw:verify -- <drawId>   (the draw's UUID, as shown on its public page)");
  process.exit(2);
}
const drawId = args[0]!.toLowerCase();

const mark = (ok: boolean) => (ok ? "ok  " : "FAIL");

function report(v: DrawVerdict): void {
  console.log(`draw ${v.drawId}`);
  console.log(`algorithm        ${v.algorithm}`);
  // From v2 each entry carries its rotation count (first places in the window), which sets its tickets for place 1.
  const rotating = v.algorithm !== DRAW_ALGORITHM_V1;
  console.log(`eligible list    ${v.eligible.length} agencies, canonical order (credit code ascending)${rotating ? "; rotation count and first-place tickets" : ""}:`);
  for (const [i, a] of v.eligible.entries()) {
    const rotation = rotating ? `  rotation ${String(a.rotationCount ?? "(missing)")}  tickets ${v.tickets?.[i] ?? "?"}` : "";
    console.log(`  ${String(i + 1).padStart(3)}. ${a.creditCode}  ${a.name}  ${a.agencyId}${rotation}`);
  }
  console.log(`list SHA-256     ${v.eligibleSha256}`);
  console.log(`seed commitment  ${v.seedSha256}`);
  console.log(`seed             ${v.drawn ? v.seed : "(secret until the draw)"}`);
  console.log(`entropy          ${v.entropy.length === 0 ? "(none)" : ""}`);
  for (const e of v.entropy) console.log(`  party ${e.partyId}: ${JSON.stringify(e.value)}`);
  console.log(`stored result    ${v.stored ? v.stored.join(", ") : "(none)"}`);
  console.log(`recomputed       ${v.recomputed ? v.recomputed.join(", ") : "(none)"}`);
  console.log(`rankings         ${v.rankings.length === 0 ? "(none)" : v.rankings.join(", ")}`);
  console.log(`[${mark(v.checks.seedMatchesCommitment)}] the seed matches its commitment`);
  console.log(`[${mark(v.checks.listMatchesHash)}] the eligible list matches its hash and is in canonical order`);
  console.log(`[${mark(v.checks.resultMatches)}] the stored result equals the recomputation`);
  console.log(`[${mark(v.checks.rankingsMatch)}] the recorded ranking equals the recomputation`);
}

const database = await openDatabase(loadConfig());
let exitCode = 0;
try {
  const verdict = await verifyDraw(database.db, drawId);
  report(verdict);
  if (!verdict.drawn) {
    console.error("draw NOT YET RUN: nothing to verify");
    exitCode = 1;
  } else if (verdict.matches) {
    console.log("draw VERIFIED: the recomputed ranking matches");
  } else {
    console.error("draw MISMATCH: the stored draw is not what its published inputs give");
    exitCode = 1;
  }
} catch (error) {
  if (isAppError(error) && error.code === "NOT_FOUND") {
    console.error(`no draw with id ${drawId}`);
    exitCode = 2;
  } else {
    throw error;
  }
} finally {
  await database.close();
}
process.exit(exitCode);

import { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import type { Database } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import { purgeLoginAttempts } from "../identity/index.ts";
import { closeLot, expireHolds, lotsDueToClose, type LotPublisher, type LotScheduler } from "../auction/index.ts";
import { runDueDraws, sweepAppraisalDeadlines, sweepInquiryDeadlines, type DrawSeedKeys } from "../appraisal/index.ts";
import { reconcile, RECONCILIATION_WINDOW_MS, runEscrowClock, sendDueMoneyOut, settleLotDeposits, type PaymentGateway } from "../escrow/index.ts";
import { startAuditSweep } from "./audit-sweep.ts";
import type { DatabaseOutage } from "./outage.ts";
import { startSimulatedBankJobs } from "./simulated-bank-jobs.ts";

const PURGE_LOGIN_ATTEMPTS = "identity.purge-login-attempts";
const CLOSE_LOT = "auction.close-lot";

/** The per-lot close job: due at the close instant, retried a few times if the run fails. */
export async function scheduleCloseJob(boss: PgBoss, lotId: string, at: Date) {
  await boss.send(CLOSE_LOT, { lotId }, { startAfter: at, retryLimit: 5, retryDelay: 2 });
}
const CLOSE_DUE_LOTS = "auction.close-due-lots";
const APPRAISAL_CLOCK = "appraisal.deadlines";
const SETTLE_LOT = "escrow.settle-lot";

/** F1, F2: the closed lot's deposits are settled, and the refunds sent, by whichever node takes the job. */
export async function scheduleSettlement(boss: PgBoss, lotId: string) {
  await boss.send(SETTLE_LOT, { lotId }, { retryLimit: 10, retryDelay: 30 });
}
const ESCROW_CLOCK = "escrow.clock";
const EXPIRE_HOLDS = "auction.expire-holds";
const RECONCILE = "escrow.reconcile";

export interface Jobs {
  boss: PgBoss;
  scheduler: LotScheduler;
}

/**
 * Runs the draws whose cut-off has passed, commissioning each first-ranked agency in the draw's
 * transaction (A13, A14), then acts on appraisal deadlines that passed with nobody acting (A14 policy,
 * A16, A21) and on negotiation and inquiry deadlines (A3, A4, A6, A8, A9). All idempotent; the shared
 * step of the minute job and the test clock.
 */
export async function runAppraisalClock(database: Database, clock: Clock, seedKeys: DrawSeedKeys, log: Logger) {
  const draws = await runDueDraws(database.db, clock, seedKeys);
  for (const f of draws.failed) log.warn({ drawId: f.drawId, code: f.code }, "draw not run");
  const sweep = await sweepAppraisalDeadlines(database.db, clock);
  for (const e of sweep.errors) log.error({ err: e.error, step: e.step, id: e.id }, "appraisal deadline step failed");
  const inquiries = await sweepInquiryDeadlines(database.db, clock);
  for (const e of inquiries.errors) log.error({ err: e.error, procedureId: e.procedureId }, "inquiry deadline step failed");
  return { draws, sweep, inquiries };
}

/**
 * pg-boss keeps timed work in the same PostgreSQL, so any node may run it. Closing is idempotent
 * (closeLot locks the lot and checks its state), so a job that runs twice or early does no harm;
 * closeLot tells the lot's watchers through `publisher` once it has closed it.
 *
 * While the database is gone pg-boss fails every poll: `outage` logs that once. When it is back, due
 * per-lot jobs run at the next poll, and the sweeps run at once rather than at the next minute, so what
 * came due during the outage (closes, deadlines) is done promptly — and once, the steps being idempotent.
 */
export async function startJobs(
  database: Database,
  clock: Clock,
  log: Logger,
  publisher: LotPublisher,
  outage: DatabaseOutage,
  gateway: PaymentGateway,
  seedKeys: DrawSeedKeys,
  platformUrl: () => string | null,
): Promise<Jobs> {
  const boss = new PgBoss({ connectionString: database.url, max: 4 });
  boss.on("error", (error) => {
    if (!outage.report(error, "jobs")) log.error({ err: error }, "pg-boss error");
  });
  await boss.start();
  const auditSweep = startAuditSweep(database.db, log, outage);
  boss.on("stopped", () => auditSweep.stop());

  const scheduler: LotScheduler = {
    scheduleClose: (lotId, at) => scheduleCloseJob(boss, lotId, at),
  };

  await boss.createQueue(CLOSE_LOT);
  await boss.work<{ lotId: string }>(CLOSE_LOT, async ([job]) => {
    if (!job) return;
    const result = await closeLot(database.db, clock, publisher, job.data.lotId);
    // A late bid moved the close: come back at the new instant (D3).
    if (result.kind === "not_yet") await scheduler.scheduleClose(job.data.lotId, result.closesAt);
    if (result.kind === "closed") {
      log.info({ lotId: job.data.lotId, outcome: result.outcome }, "lot closed");
      // F1, F2: deposits are settled at once, well inside the 24 hours; the escrow clock catches a lost job.
      await scheduleSettlement(boss, job.data.lotId);
    }
  });

  await boss.createQueue(SETTLE_LOT);
  await boss.work<{ lotId: string }>(SETTLE_LOT, async ([job]) => {
    if (!job) return;
    const { released } = await settleLotDeposits(database.db, clock, job.data.lotId);
    await sendDueMoneyOut(database.db, clock, gateway);
    log.info({ lotId: job.data.lotId, released }, "deposits settled");
  });

  // Escrow: settlements a lost job missed, balance reminders and defaults, refunds and payouts to send, every minute.
  await boss.createQueue(ESCROW_CLOCK);
  await boss.work(ESCROW_CLOCK, async () => {
    const result = await runEscrowClock(database.db, clock, gateway);
    for (const e of result.errors) log.error({ err: e.error, step: e.step, id: e.id }, "escrow step failed");
  });
  await boss.schedule(ESCROW_CLOCK, "* * * * *");

  // H6, P14: the escrow's books against the gateway's records, every night (Beijing time); differences go to the log.
  await boss.createQueue(RECONCILE);
  await boss.work(RECONCILE, async () => {
    const report = await reconcile(database.db, clock, gateway, new Date(clock.now().getTime() - RECONCILIATION_WINDOW_MS));
    const side = (s: { status: string; amountFen: bigint } | null) => s && { status: s.status, amountFen: String(s.amountFen) };
    for (const d of report.differences) log.warn({ ...d, platform: side(d.platform), gateway: side(d.gateway) }, "reconciliation difference");
    log.info({ gateway: report.gateway, platformRecords: report.platformRecords, gatewayRecords: report.gatewayRecords, differences: report.differences.length }, "reconciliation done");
  });
  await boss.schedule(RECONCILE, "30 2 * * *", null, { tz: "Asia/Shanghai" });

  // The safety net: whatever a lost job missed is closed within a minute.
  await boss.createQueue(CLOSE_DUE_LOTS);
  await boss.work(CLOSE_DUE_LOTS, async () => {
    for (const lotId of await lotsDueToClose(database.db, clock)) await closeLot(database.db, clock, publisher, lotId);
  });
  await boss.schedule(CLOSE_DUE_LOTS, "* * * * *");

  // P2: a hold that lasted its day releases the lot's deposits (the escrow clock sends the refunds, and settles
  // what a lost run missed).
  await boss.createQueue(EXPIRE_HOLDS);
  await boss.work(EXPIRE_HOLDS, async () => {
    for (const { lotId } of await expireHolds(database.db, clock)) await settleLotDeposits(database.db, clock, lotId);
  });
  await boss.schedule(EXPIRE_HOLDS, "* * * * *");

  // Appraisal: due draws and passed deadlines, every minute.
  await boss.createQueue(APPRAISAL_CLOCK);
  await boss.work(APPRAISAL_CLOCK, async () => {
    await runAppraisalClock(database, clock, seedKeys, log);
  });
  await boss.schedule(APPRAISAL_CLOCK, "* * * * *");

  // The simulated bank's webhooks, posted to this platform's own endpoint as a real provider would.
  await startSimulatedBankJobs(boss, gateway, platformUrl, log, outage);

  await boss.createQueue(PURGE_LOGIN_ATTEMPTS);
  await boss.work(PURGE_LOGIN_ATTEMPTS, async () => {
    await purgeLoginAttempts(database.db, clock);
  });
  await boss.schedule(PURGE_LOGIN_ATTEMPTS, "17 * * * *");

  outage.onRecovered(async () => {
    await boss.send(CLOSE_DUE_LOTS, {});
    await boss.send(APPRAISAL_CLOCK, {});
    await boss.send(ESCROW_CLOCK, {});
  });
  return { boss, scheduler };
}

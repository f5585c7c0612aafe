import type { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import type { Database } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import { deliverPendingNotices, type NoticeSenders } from "../identity/index.ts";
import { sendReminders } from "../auction/index.ts";

const DISPATCH = "notices.dispatch";
const REMINDERS = "notices.reminders";

/**
 * Notices leave through pg-boss (ADR 023). A new delivery NOTIFYs at commit (a trigger on notice_deliveries); each
 * node LISTENs and queues a dispatch job. The queue holds at most one waiting job ("short" policy), so a burst of
 * notices is one job; whichever node runs it claims the rows FOR UPDATE SKIP LOCKED, so each message goes out once
 * however many nodes there are. The minute schedule retries failures and catches a NOTIFY lost in an outage; the
 * reminders (followers, court deadlines) are left by the minute job too.
 */
export async function startNoticeJobs(boss: PgBoss, database: Database, clock: Clock, log: Logger, senders: NoticeSenders): Promise<{ stop(): Promise<void> }> {
  await boss.createQueue(DISPATCH, { policy: "short" });
  await boss.work(DISPATCH, { pollingIntervalSeconds: 0.5 }, async () => {
    const result = await deliverPendingNotices(database.db, clock, senders);
    if (result.failed > 0) log.warn(result, "some notices were not delivered; they are retried later");
  });
  await boss.schedule(DISPATCH, "* * * * *");

  await boss.createQueue(REMINDERS);
  await boss.work(REMINDERS, async () => {
    await sendReminders(database.db, clock);
  });
  await boss.schedule(REMINDERS, "* * * * *");

  const wake = () => void boss.send(DISPATCH, {}).catch((error: unknown) => log.warn({ err: error }, "could not queue the notice dispatch"));
  const listener = await database.sql.listen("notice_deliveries", wake);
  return { stop: () => listener.unlisten() };
}

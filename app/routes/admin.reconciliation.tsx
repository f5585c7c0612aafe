import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.reconciliation";
import { RECONCILIATION_WINDOW_MS, reconciliationReport } from "../../escrow/index.ts";
import { DateTime, Money } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("reconciliation.title");

/** A calendar day in Beijing time, from its first instant. */
const beijingDay = (day: string) => new Date(`${day}T00:00:00+08:00`);
const dayOf = (at: Date) => new Date(at.getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);

/**
 * Admins: the escrow's books against the payment gateway's records since a day (H6, P14), run when asked. Every
 * difference is listed; the same comparison runs daily and goes to the log.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = requirePageUser(request, context, "escrow.reconcile");
  const { db, clock, paymentGateway } = services(context);
  const url = new URL(request.url);
  const given = z.iso.date().safeParse(url.searchParams.get("since"));
  const since = given.success ? given.data : dayOf(new Date(clock.now().getTime() - RECONCILIATION_WINDOW_MS));
  if (url.searchParams.get("run") === null) return { since, report: null };
  try {
    return { since, report: toPlain(await reconciliationReport(db, clock, paymentGateway, admin, beijingDay(since))) };
  } catch (error) {
    throw asPageError(error);
  }
}

/** One side's record: its amount and its status in words (a provider's status not known here is shown as it is). */
function Side({ side }: { side: { status: string; amountFen: string } | null }) {
  const { t } = useTranslation();
  if (!side) return <>{t("reconciliation.absent")}</>;
  return (
    <>
      <Money fen={side.amountFen} /> {t(`reconciliation.status.${side.status}`, { defaultValue: side.status })}
    </>
  );
}

export default function Reconciliation({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { since, report } = loaderData;
  return (
    <div>
      <h1>{t("reconciliation.title")}</h1>
      <p>{t("reconciliation.lead")}</p>
      <Form method="get" className="inline-form">
        <label htmlFor="since">{t("reconciliation.since")}</label>
        <input id="since" name="since" type="date" defaultValue={since} />
        <button type="submit" name="run" value="1" className="button" data-testid="run-reconciliation">
          {t("reconciliation.run")}
        </button>
      </Form>
      {report && (
        <section aria-labelledby="report-heading" data-testid="reconciliation-report">
          <h2 id="report-heading">{t("reconciliation.report")}</h2>
          <p>
            {t("reconciliation.checkedAt")} <DateTime iso={report.checkedAt} seconds /> · {t("reconciliation.platformRecords")} {report.platformRecords} ·{" "}
            {t("reconciliation.gatewayRecords")} {report.gatewayRecords}
          </p>
          <p className={report.differences.length === 0 ? "notice" : "error-message"} data-testid="difference-count">
            {report.differences.length === 0 ? t("reconciliation.agree") : `${t("reconciliation.differ")} ${report.differences.length}`}
          </p>
          <DataTable
            rows={report.differences}
            rowKey={(d, i) => `${d.kind}:${d.providerRef ?? d.reference ?? i}:${i}`}
            rowData={(d) => ({ "data-kind": d.kind, "data-provider-ref": d.providerRef ?? undefined })}
            testId="differences"
            columns={[
              { header: "reconciliation.col.kind", cell: (d) => t(`reconciliation.kind.${d.kind}`) },
              { header: "reconciliation.col.record", cell: (d) => t(`reconciliation.record.${d.recordKind}`) },
              { header: "reconciliation.col.ref", cell: (d) => <code>{d.providerRef ?? d.reference ?? "—"}</code> },
              { header: "reconciliation.col.platform", cell: (d) => <Side side={d.platform} /> },
              { header: "reconciliation.col.gateway", cell: (d) => <Side side={d.gateway} /> },
            ]}
          />
        </section>
      )}
    </div>
  );
}

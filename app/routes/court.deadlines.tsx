import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/court.deadlines";
import { deadlinesAtAGlance } from "../../appraisal/index.ts";
import { saleDeadlines } from "../../auction/index.ts";
import { DateTime, Due } from "../components/auction.tsx";
import { LegalBasis, StateTag } from "../components/appraisal.tsx";
import { DataTable } from "../components/data-table.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";

export const meta: Route.MetaFunction = () => [{ title: "期限 Deadlines · 人民法院司法拍卖与评估平台" }];

/** What each deadline is, in words (DEADLINE_KINDS of appraisal/deadlines.ts). */
const KIND_LABELS: Record<string, string> = {
  procedure_start: "appraisal.deadline.procedure_start",
  procedure_step: "appraisal.deadline.procedure_step",
  inquiry_report: "appraisal.deadline.inquiry_report",
  inquiry_correction: "appraisal.deadline.inquiry_correction",
  offer_answer: "appraisal.deadline.offer_answer",
  report_due: "appraisal.deadline.report_due",
  materials_return: "appraisal.deadline.materials_return",
  report_delivery: "appraisal.deadline.report_delivery",
  report_defect: "appraisal.deadline.report_defect",
  objection_window: "appraisal.deadline.objection_window",
  objection_forward: "appraisal.deadline.objection_forward",
  objection_answer: "appraisal.deadline.objection_answer",
  objection_decision: "appraisal.deadline.objection_decision",
  objection_review: "appraisal.deadline.objection_review",
  sale_start: "appraisal.deadline.sale_start",
};

/** Court staff: every running deadline of their court's pricing work, soonest first, overdue ones marked (A1–A25). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "appraisal.manage");
  const { db, clock } = services(context);
  try {
    const items = await deadlinesAtAGlance(db, clock, user);
    return { items: toPlain(items), sales: toPlain(await saleDeadlines(db, clock, user)), now: clock.now().toISOString() };
  } catch (error) {
    throw asPageError(error);
  }
}

export default function CourtDeadlines({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { items, sales, now } = loaderData;
  const overdue = items.filter((i) => i.overdue).length;
  return (
    <div>
      <h1>{t("appraisal.deadlines.title")}</h1>
      <p className="lead">{t("appraisal.deadlines.lead")}</p>
      <p className="hint">
        {t("appraisal.deadlines.asOf")} <DateTime iso={now} /> · {t("form.beijingTime")}
      </p>
      {overdue > 0 && (
        <p className="inset-text" data-testid="overdue-count">
          <strong className="tag tag--failed">{t("appraisal.deadline.state.overdue")}</strong> {t("appraisal.deadlines.overdueCount")} {overdue}
        </p>
      )}
      <DataTable
        rows={items}
        rowKey={(d, i) => `${d.kind}-${d.entityId}-${i}`}
        rowData={(d) => ({ "data-kind": d.kind, "data-overdue": d.overdue ? "yes" : "no", "data-rule": d.rule })}
        testId="deadlines"
        empty={<p data-testid="no-deadlines">{t("appraisal.deadlines.none")}</p>}
        columns={[
          {
            header: "appraisal.deadline.due",
            cell: (d) => <DueCell dueAt={d.dueAt} overdue={d.overdue} />,
          },
          {
            header: "appraisal.deadline.what",
            cell: (d) => (
              <>
                {d.procedureId ? <Link to={`/court/procedures/${d.procedureId}`}>{t(KIND_LABELS[d.kind] ?? d.kind)}</Link> : t(KIND_LABELS[d.kind] ?? d.kind)}
                {d.agencyName && <span className="hint"> · {d.agencyName}</span>}
                {d.lateStart && <strong className="tag tag--failed">{t("appraisal.procedure.lateStart")}</strong>}
              </>
            ),
          },
          { header: "appraisal.deadline.rule", cell: (d) => <LegalBasis sources={d.sources} /> },
          { header: "appraisal.deadlines.case", cell: (d) => <Link to={`/court/cases/${d.caseId}`}>{d.caseNumber}</Link> },
          { header: "appraisal.deadlines.asset", cell: (d) => <Link to={`/court/assets/${d.assetId}`}>{d.assetTitle}</Link> },
        ]}
      />
      <h2>{t("courtDeadlines.sales.title")}</h2>
      <p className="hint">{t("courtDeadlines.sales.lead")}</p>
      <DataTable
        rows={sales}
        rowKey={(d) => `${d.kind}-${d.lotId}`}
        rowData={(d) => ({ "data-kind": d.kind, "data-overdue": d.overdue ? "yes" : "no" })}
        testId="sale-deadlines"
        empty={<p data-testid="no-sale-deadlines">{t("courtDeadlines.sales.none")}</p>}
        columns={[
          {
            header: "appraisal.deadline.due",
            cell: (d) => <DueCell dueAt={d.dueAt} overdue={d.overdue} />,
          },
          { header: "appraisal.deadline.what", cell: (d) => <Link to={`/court/lots/${d.lotId}`}>{t(d.kind === "ruling" ? "courtDeadlines.sales.ruling" : "courtDeadlines.sales.handover")}</Link> },
          { header: "appraisal.deadlines.case", cell: (d) => <Link to={`/court/cases/${d.caseId}`}>{d.caseNumber}</Link> },
          { header: "courtDeadlines.sales.lot", cell: (d) => d.lotTitle },
        ]}
      />
    </div>
  );
}

/** A deadline, marked overdue once it has passed. */
function DueCell({ dueAt, overdue }: { dueAt: string; overdue: boolean }) {
  return (
    <>
      <Due iso={dueAt} />
      {overdue && (
        <>
          {" "}
          <StateTag state="overdue" />
        </>
      )}
    </>
  );
}

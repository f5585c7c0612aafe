// The top of the court's procedure page: where it sits (case, asset), its facts and its deadlines.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { DateTime, Prose, SummaryList } from "../auction.tsx";
import { DeadlineTable, GROUND_LABELS, EndReason, METHOD_LABELS, ProcedureStatusTag } from "../appraisal.tsx";
import type { ProcedurePage } from "./procedure-page.ts";

export function ProcedureHeading({ page }: { page: ProcedurePage }) {
  const { t } = useTranslation();
  const p = page.procedure;
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/court/cases">{t("court.cases.title")}</Link> › <Link to={`/court/cases/${p.caseId}`}>{page.caseNumber}</Link> ›{" "}
        <Link to={`/court/assets/${page.asset.id}`}>{page.asset.title}</Link>
      </p>
      <span className="caption">{t(METHOD_LABELS[p.method] ?? "appraisal.procedure.caption")}</span>
      <h1>
        {page.asset.title} <ProcedureStatusTag status={p.status} />
      </h1>
    </>
  );
}

/** The method, its ground (A5, A11), how the agency was chosen (A13) and how the procedure ended or paused (A24). */
export function ProcedureFacts({ page }: { page: ProcedurePage }) {
  const { t } = useTranslation();
  const p = page.procedure;
  return (
    <>
      <SummaryList
        testId="procedure-summary"
        rows={[
          ["appraisal.procedure.method", t(METHOD_LABELS[p.method] ?? p.method)],
          ["appraisal.procedure.status", <ProcedureStatusTag status={p.status} key="s" />],
          [p.method === "online_inquiry" ? "appraisal.start.ground" : "appraisal.procedure.basisKind", p.basisKind && GROUND_LABELS[p.basisKind] ? t(GROUND_LABELS[p.basisKind]!) : null],
          ["appraisal.procedure.basis", <Prose text={p.basis} key="b" />],
          ["appraisal.procedure.startedAt", <DateTime iso={p.startedAt} key="st" />],
          ["appraisal.procedure.selection", p.selection ? t(p.selection === "agreed" ? "appraisal.procedure.agreed" : "appraisal.procedure.drawn") : null],
          ["appraisal.procedure.endedAt", p.endedAt ? <DateTime iso={p.endedAt} key="e" /> : null],
          ["appraisal.procedure.endReason", p.endReason ? <EndReason reason={p.endReason} key="r" /> : null],
          ["appraisal.procedure.suspendedAt", p.suspendedAt ? <DateTime iso={p.suspendedAt} key="su" /> : null],
        ]}
      />
      {p.lateStart && <p className="inset-text">{t("appraisal.procedure.lateStartText")}</p>}
    </>
  );
}

/** Every deadline with its rule; a suspension stops them (A24). */
export function ProcedureDeadlines({ page }: { page: ProcedurePage }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="deadlines" className="form-section">
      <h2 id="deadlines">{t("appraisal.deadline.title")}</h2>
      {page.procedure.status === "suspended" && <p className="inset-text">{t("appraisal.deadline.suspended")}</p>}
      <DeadlineTable items={page.deadlines} />
    </section>
  );
}

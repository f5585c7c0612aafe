import { useTranslation } from "react-i18next";
import { DateTime, Due } from "../auction.tsx";
import { ReportFacts } from "../appraisal.tsx";
import { ObjectionItem } from "./objections.tsx";
import { isOpen, type PageReport, type PanelProps, type ProcedurePage } from "./procedure-page.ts";
import { DefectNote, MarkDefectForm, MarkErrorForm, OverdueDefectSteps, PostingForm } from "./report-remedies.tsx";
import { StepButton } from "./step-button.tsx";

/** A19–A21: each report with what the court may do about it and the parties' objections; then fixing the price (A23). */
export function ReportsSection({ page, actionData }: PanelProps) {
  const { t } = useTranslation();
  const p = page.procedure;
  const mayFix = p.method === "appraisal" && isOpen(page) && page.judge && page.reports.some((r) => r.deliveredAt && !r.excluded);
  return (
    <section aria-labelledby="reports" className="form-section">
      <h2 id="reports">{t("appraisal.report.title")}</h2>
      {page.reports.map((r) => (
        <ReportFacts key={r.id} report={r}>
          <ReportSteps page={page} report={r} actionData={actionData} />
          {page.objections
            .filter((o) => o.reportId === r.id)
            .map((o) => (
              <ObjectionItem key={o.id} page={page} objection={o} actionData={actionData} />
            ))}
        </ReportFacts>
      ))}
      {mayFix && (
        <div data-testid="fix-panel">
          <p className="hint">{t("appraisal.price.fixLead")}</p>
          {page.reviewHold ? <ReviewHoldNote page={page} /> : <StepButton intent="fix" label="appraisal.price.fix" testId="fix-price" />}
        </div>
      )}
    </section>
  );
}

/** A20: the price waits for a party's review — asked and undecided, or still open to ask until a date. */
export function ReviewHoldNote({ page }: { page: ProcedurePage }) {
  const { t } = useTranslation();
  const hold = page.reviewHold;
  if (!hold) return null;
  return (
    <p className="inset-text" data-testid="review-hold" data-kind={hold.kind}>
      {hold.kind === "review_window" ? (
        <>
          {t("appraisal.price.reviewWindow")} <Due iso={hold.until} />
          {t("appraisal.price.reviewWindowAfter")}
        </>
      ) : (
        <>
          {t("appraisal.price.reviewPending")} <DateTime iso={hold.since} />
          {t("appraisal.price.reviewPendingAfter")}
        </>
      )}
    </p>
  );
}

/**
 * The court's steps on one report: delivery to the parties or service by posting (A19; a directed inquiry's
 * answer is delivered when recorded), a defect in an agency's report (A18), an error in a platform's (A9).
 */
function ReportSteps({ page, report: r, actionData }: PanelProps & { report: PageReport }) {
  const { t } = useTranslation();
  const open = isOpen(page);
  const undelivered = !r.deliveredAt && open && page.procedure.method !== "directed_inquiry";
  const defectOpen = page.openDefects.includes(r.id);
  const errorMarked = Boolean(page.requests.find((x) => x.id === r.inquiryRequestId)?.errorNote);
  return (
    <>
      {undelivered && <StepButton intent="deliver" label="appraisal.report.deliver" fields={{ reportId: r.id }} testId="deliver-report" />}
      {r.postedAt && (
        <p data-testid="report-posted">
          {t("appraisal.posting.posted")} <DateTime iso={r.postedAt} /> · {t("appraisal.posting.deemed")} <DateTime iso={r.deliveredAt!} />
        </p>
      )}
      {undelivered && !r.excluded && <PostingForm reportId={r.id} actionData={actionData} />}
      {r.defectMarkedAt && <DefectNote report={r} open={defectOpen} />}
      {open && page.judge && (page.defectRemedies[r.id]?.length ?? 0) > 0 && <OverdueDefectSteps reportId={r.id} remedies={page.defectRemedies[r.id]!} />}
      {r.commissionId && open && page.judge && !r.excluded && !defectOpen && <MarkDefectForm reportId={r.id} actionData={actionData} />}
      {page.procedure.method === "online_inquiry" && open && page.judge && !errorMarked && <MarkErrorForm reportId={r.id} actionData={actionData} />}
    </>
  );
}

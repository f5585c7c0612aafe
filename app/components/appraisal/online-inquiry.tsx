import { useTranslation } from "react-i18next";
import { DateTime, Due, Money } from "../auction.tsx";
import { isOpen, type ProcedurePage } from "./procedure-page.ts";
import { ReviewHoldNote } from "./reports.tsx";
import { StepButton } from "./step-button.tsx";
import { TableScroll } from "../data-table.tsx";

/**
 * A7, A8: the platforms asked, each one's deadline and result; the mean of the valid results (A10); for the
 * judge, asking for corrections of the results marked in error (A9) and fixing the price.
 */
export function OnlineInquiry({ page }: { page: ProcedurePage }) {
  const { t } = useTranslation();
  const judgeMayAct = isOpen(page) && page.judge;
  return (
    <section aria-labelledby="platforms" className="form-section">
      <h2 id="platforms">{t("appraisal.inquiry.title")}</h2>
      <InquiryRequests page={page} />
      {page.mean && (
        <div className="inset-text" data-testid="inquiry-mean">
          {page.mean.ok ? (
            <p>
              {t("appraisal.inquiry.mean")} <Money fen={page.mean.amountFen} className="money--strong" /> · {t("appraisal.inquiry.meanOf")} {page.mean.used} / {page.mean.of}
            </p>
          ) : (
            <p>{t("appraisal.inquiry.noMean")}</p>
          )}
        </div>
      )}
      {judgeMayAct && page.requests.some((r) => r.errorNote) && <StepButton intent="ask-corrections" label="appraisal.inquiry.askCorrections" testId="ask-corrections" secondary />}
      {judgeMayAct &&
        // Fixing is offered once it can be done: every report in (or late), no correction running, a mean to fix.
        (page.reviewHold ? (
          <ReviewHoldNote page={page} />
        ) : page.mean?.ok && page.mean.reportingOver ? (
          <p>
            <StepButton intent="fix" label="appraisal.inquiry.fix" testId="fix-price" />
          </p>
        ) : (
          <p className="hint" data-testid="fix-not-yet">
            {t("appraisal.inquiry.fixNotYet")}
          </p>
        ))}
    </section>
  );
}

function InquiryRequests({ page }: { page: ProcedurePage }) {
  const { t } = useTranslation();
  return (
    <TableScroll label={t("appraisal.inquiry.title")}>
      <table className="table" data-testid="inquiry-requests">
        <thead>
          <tr>
            <th scope="col">{t("appraisal.inquiry.platform")}</th>
            <th scope="col">{t("appraisal.inquiry.sentAt")}</th>
            <th scope="col">{t("appraisal.inquiry.dueAt")}</th>
            <th scope="col">{t("appraisal.inquiry.state")}</th>
            <th scope="col" className="numeric">
              {t("appraisal.inquiry.value")}
            </th>
          </tr>
        </thead>
        <tbody>
          {page.requests.map((r) => {
            // The platform's latest report.
            const report = page.reports.filter((x) => x.inquiryRequestId === r.id).sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))[0];
            return (
              <tr key={r.id} data-request-id={r.id}>
                <td>{r.addressee}</td>
                <td>
                  <DateTime iso={r.sentAt} />
                </td>
                <td>
                  <Due iso={r.dueAt} />
                  {r.extended && <span className="tag tag--announced">{t("appraisal.inquiry.extended")}</span>}
                  {r.extensionRequestedAt && !r.extended && <span className="hint"> {t("appraisal.inquiry.extensionAsked")}</span>}
                </td>
                <td>
                  <RequestState request={r} reported={report !== undefined} />
                </td>
                <td className="numeric">{report ? <Money fen={report.valueFen} /> : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Reported, late or waiting; and an error the court marked, with the correction's deadline (A9). */
function RequestState({ request: r, reported }: { request: ProcedurePage["requests"][number]; reported: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {reported ? t("appraisal.inquiry.reported") : r.late ? <strong className="tag tag--failed">{t("appraisal.inquiry.late")}</strong> : t("appraisal.inquiry.waiting")}
      {r.errorNote && (
        <span className="hint">
          {" "}
          · {t("appraisal.inquiry.errorMarked")}: {r.errorNote}
          {r.correctionDueAt && (
            <>
              {" · "}
              {t("appraisal.inquiry.correctionDue")} <Due iso={r.correctionDueAt} />
            </>
          )}
          {r.correctedAt && <> · {t("appraisal.inquiry.corrected")}</>}
        </span>
      )}
    </>
  );
}

import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/platform.request";
import { askInquiryExtension, getPlatformRequest, inquiryReportSchema, REPORT_MAX_BYTES, submitCorrectedReport, submitInquiryReport } from "../../appraisal/index.ts";
import { DateTime, Due, Prose, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { assetFactRows, ForwardedObjections, ReportUploadForm, SentReports } from "../components/appraisal-portal.tsx";
import { failureFor, ProblemSummary } from "../components/form-fields.tsx";
import { answerForwardedObjection, readReportForm, REPORT_FIELDS, reportTooLarge, uploadTooLarge } from "../lib/appraisal-portal.server.ts";
import { doneNotice } from "../lib/appraisal-forms.server.ts";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, refusal, readForm } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: `${loaderData?.asset.title ?? "询价任务 Inquiry"} · 人民法院司法拍卖与评估平台` }];

const NOTICES = {
  report: "platformPortal.notice.report",
  correction: "platformPortal.notice.correction",
  extension: "platformPortal.notice.extension",
  answer: "platformPortal.notice.answer",
} as const;

/**
 * Inquiry platforms' staff: one price inquiry — the asset, the report due in 3 days (A7, A8), the one
 * extension asked before the deadline (A8), a correction the court asked for (A9), and objections the
 * court forwarded (A21).
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "platform.work");
  const requestId = pageId(params.requestId);
  const { db, clock } = services(context);
  try {
    const view = await getPlatformRequest(db, user, requestId);
    return {
      ...toPlain(view),
      now: clock.now().toISOString(),
      maxBytes: REPORT_MAX_BYTES,
      notice: doneNotice(request, NOTICES),
    };
  } catch (error) {
    throw asPageError(error);
  }
}


export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "platform.work");
  const requestId = pageId(params.requestId);
  const { db, clock } = services(context);
  // Refuse an oversized upload before reading it into memory.
  if (uploadTooLarge(request)) return reportTooLarge();
  const form = await readForm(request);
  const values = formValues(form);
  const intent = values.intent;
  const back = (done: keyof typeof NOTICES) => redirect(`/platform/requests/${requestId}?done=${done}`);
  try {
    if (intent === "report" || intent === "correction") {
      const report = await readReportForm(inquiryReportSchema, form, values, "report", clock.now());
      if (!report.ok) return report.failure;
      if (intent === "report") await submitInquiryReport(db, clock, user, requestId, report.input);
      else await submitCorrectedReport(db, clock, user, requestId, report.input);
      return back(intent);
    }
    if (intent === "extension") {
      await askInquiryExtension(db, clock, user, requestId);
      return back("extension");
    }
    if (intent === "answer") return (await answerForwardedObjection(db, clock, user, values)) ?? back("answer");
  } catch (error) {
    if (intent === "report" || intent === "correction") return refusal(error, "report", values, { formFields: REPORT_FIELDS });
    return refusal(error, "respond", values, { formFields: [] });
  }
  return formFailure("respond", values, {}, ["validation.invalid"], 400);
}

export default function PlatformRequest({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { request: r, procedureStatus, asset, caseNumber, courtName, reports, objections, maxBytes, notice, now } = loaderData;
  const respondFailure = failureFor(actionData, "respond");
  const reportFailure = failureFor(actionData, "report");
  const answerFailure = failureFor(actionData, "answer");
  const open = procedureStatus === "open";
  const current = reports.find((x) => !x.excluded) ?? reports[0];
  const beforeDue = new Date(now) <= new Date(r.dueAt);
  const canReport = open && reports.length === 0 && !r.late && beforeDue;
  const canCorrect = open && reports.length > 0 && r.correctionDueAt !== null && r.correctedAt === null && !r.late && new Date(now) <= new Date(r.correctionDueAt);
  const canAskExtension = canReport && !r.extended && r.extensionRequestedAt === null;
  const answerLabels = Object.fromEntries(objections.map((o) => [`answer-${o.id}`, "agencyPortal.objections.answer"]));
  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/platform">{t("platformPortal.title")}</Link> › {caseNumber}
      </p>
      <span className="caption">{t("platformPortal.caption")}</span>
      <h1>{asset.title}</h1>
      {notice && <SuccessBanner>{t(notice)}</SuccessBanner>}
      <ProblemSummary failure={respondFailure ?? answerFailure} labels={answerLabels} />
      {procedureStatus === "suspended" && <p className="inset-text">{t("platformPortal.suspended")}</p>}
      {r.late && (
        <p className="inset-text" data-testid="late">
          {t("platformPortal.late")}
        </p>
      )}

      <SummaryList
        testId="request-summary"
        rows={[
          ...assetFactRows(t, caseNumber, courtName, asset),
          ["platformPortal.sentAt", <DateTime iso={r.sentAt} key="s" />],
          ["platformPortal.dueAt", <Due iso={r.dueAt} key="du" />],
          ["platformPortal.extension.state", r.extended ? t("platformPortal.extension.granted") : r.extensionRequestedAt ? t("platformPortal.extension.asked") : null],
          ["platformPortal.correction.note", r.errorNote ? <Prose text={r.errorNote} key="n" /> : null],
          ["platformPortal.correction.dueAt", r.correctionDueAt ? <Due iso={r.correctionDueAt} key="c" /> : null],
        ]}
      />

      {(canReport || canCorrect || reportFailure) && (
        <section aria-labelledby="report" className="form-section" data-testid="report-section">
          <h2 id="report">{t(canCorrect ? "platformPortal.correction.title" : "platformPortal.report.title")}</h2>
          <p>{t(canCorrect ? "platformPortal.correction.lead" : "platformPortal.report.lead")}</p>
          <ReportUploadForm
            id="report-form"
            failure={reportFailure}
            maxBytes={maxBytes}
            intent={canCorrect ? "correction" : "report"}
            fileLabel="platformPortal.file"
            methodHint="platformPortal.report.methodHint"
            validUntilHint
            submit={{ label: canCorrect ? "platformPortal.correction.submit" : "platformPortal.report.submit", className: "button", testId: "upload-report" }}
          />
        </section>
      )}

      {reports.length === 0 && open && !r.late && (
        <section aria-labelledby="extension" className="form-section" data-testid="extension-section">
          <h2 id="extension">{t("platformPortal.extension.title")}</h2>
          <p className="inset-text" data-testid="extension-rule">
            {t("platformPortal.extension.rule")}
          </p>
          {canAskExtension ? (
            <Form method="post">
              <input type="hidden" name="intent" value="extension" />
              <button type="submit" className="button button--secondary" disabled={busy} data-testid="ask-extension">
                {t("platformPortal.extension.submit")}
              </button>
            </Form>
          ) : (
            <p data-testid="extension-closed">{t(r.extensionRequestedAt || r.extended ? "platformPortal.extension.asked" : "platformPortal.extension.tooLate")}</p>
          )}
        </section>
      )}

      <SentReports reports={reports} fileLabel="platformPortal.file" more={(x) => [["platformPortal.replaced", x.excluded && x.id !== current?.id ? t("platformPortal.replacedYes") : null]]} />

      <ForwardedObjections objections={objections} failure={answerFailure} canAnswer={open} busy={busy} />
    </div>
  );
}

import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/agency.commission";
import {
  acceptCommission,
  declineCommission,
  defectOpen,
  explainReportDefect,
  extensionSchema,
  getAgencyCommission,
  REPORT_MAX_BYTES,
  reportInputSchema,
  requestExtension,
  submitAppraisalReport,
  submitCorrectedAppraisalReport,
} from "../../appraisal/index.ts";
import { CN_SPC_2016 } from "../../core/ruleset.ts";
import { AppError } from "../../core/errors.ts";
import { DateTime, Due, Prose, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { assetFactRows, CommissionStatusTag, ForwardedObjections, ReportUploadForm, SentReports } from "../components/appraisal-portal.tsx";
import { defectLabel } from "../components/appraisal/report-remedies.tsx";
import { failureFor, FoldedForm, Input, ProblemSummary, TextArea } from "../components/form-fields.tsx";
import { answerForwardedObjection, readReportForm, REPORT_FIELDS, reportTooLarge, uploadTooLarge } from "../lib/appraisal-portal.server.ts";
import { doneNotice, rowTextForm } from "../lib/appraisal-forms.server.ts";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, parseForm, refusal, readForm } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: `${loaderData?.asset.title ?? "评估委托 Commission"} · 人民法院司法拍卖与评估平台` }];

const NOTICES = {
  accepted: "agencyPortal.notice.accepted",
  declined: "agencyPortal.notice.declined",
  extension: "agencyPortal.notice.extension",
  report: "agencyPortal.notice.report",
  answer: "agencyPortal.notice.answer",
  defectExplained: "agencyPortal.notice.defectExplained",
  corrected: "agencyPortal.notice.corrected",
} as const;

/**
 * Agency members: one commission of their agency — answer the offer (A14), upload the report (A14, A23),
 * ask for an extension (A15), explain a technical objection the court forwarded (A21).
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "agency.work");
  const commissionId = pageId(params.commissionId);
  const { db, clock } = services(context);
  try {
    const view = await getAgencyCommission(db, user, commissionId);
    return {
      ...toPlain(view),
      // A18: the reports whose defect the agency is to explain or correct.
      openDefects: view.reports.filter(defectOpen).map((r) => r.id),
      now: clock.now().toISOString(),
      rules: { maxExtensions: CN_SPC_2016.appraisalExtensionsMax },
      maxBytes: REPORT_MAX_BYTES,
      notice: doneNotice(request, NOTICES),
    };
  } catch (error) {
    throw asPageError(error);
  }
}

const EXTENSION_FIELDS = ["days", "extensionReason"] as const;

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "agency.work");
  const commissionId = pageId(params.commissionId);
  const { db, clock } = services(context);
  // Refuse an oversized upload before reading it into memory (the report's limit plus the form around it).
  if (uploadTooLarge(request)) return reportTooLarge();
  const form = await readForm(request);
  const values = formValues(form);
  const back = (done: keyof typeof NOTICES) => redirect(`/agency/commissions/${commissionId}?done=${done}`);
  const intent = values.intent;
  try {
    if (intent === "accept") {
      await acceptCommission(db, clock, user, commissionId);
      return back("accepted");
    }
    if (intent === "decline") {
      const reason = values.declineReason?.trim() ?? "";
      if (reason === "") return formFailure("decline", values, { declineReason: "validation.required" }, [], 400);
      await declineCommission(db, clock, user, commissionId, { reason });
      return back("declined");
    }
    if (intent === "extension") {
      const parsed = parseForm(extensionSchema, { days: values.days ?? "", reason: values.extensionReason ?? "" });
      if (!parsed.ok) {
        const { reason, ...rest } = parsed.fields;
        return formFailure("extension", values, { ...rest, ...(reason ? { extensionReason: reason } : {}) }, [], 400);
      }
      await requestExtension(db, clock, user, commissionId, parsed.data);
      return back("extension");
    }
    if (intent === "report") {
      const report = await readReportForm(reportInputSchema, form, values, "report", clock.now());
      if (!report.ok) return report.failure;
      await submitAppraisalReport(db, clock, user, commissionId, report.input);
      return back("report");
    }
    if (intent === "explain-defect" || intent === "correct") {
      // A18: only a report of this commission.
      const reportId = pageId(values.reportId);
      const view = await getAgencyCommission(db, user, commissionId);
      if (!view.reports.some((r) => r.id === reportId)) throw new AppError("NOT_FOUND");
      if (intent === "explain-defect") {
        const failed = await rowTextForm("defect", values, `explanation-${reportId}`, "explanation", (explanation) => explainReportDefect(db, clock, user, reportId, { explanation }));
        return failed ?? back("defectExplained");
      }
      const report = await readReportForm(reportInputSchema, form, values, "correct", clock.now());
      if (!report.ok) return report.failure;
      try {
        await submitCorrectedAppraisalReport(db, clock, user, reportId, report.input);
      } catch (error) {
        return refusal(error, "correct", values, { formFields: REPORT_FIELDS });
      }
      return back("corrected");
    }
    if (intent === "answer") return (await answerForwardedObjection(db, clock, user, values)) ?? back("answer");
  } catch (error) {
    if (intent === "report") return refusal(error, "report", values, { formFields: REPORT_FIELDS });
    if (intent === "extension") return refusal(error, "extension", values, { formFields: EXTENSION_FIELDS, fieldMap: { reason: "extensionReason" } });
    if (intent === "decline") return refusal(error, "decline", values, { formFields: ["declineReason"], fieldMap: { reason: "declineReason" } });
    return refusal(error, "respond", values, { formFields: [] });
  }
  return formFailure("respond", values, {}, ["validation.invalid"], 400);
}

export default function AgencyCommission({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { commission: c, procedure, asset, caseNumber, courtName, extensions, reports, objections, rules, maxBytes, notice, now, openDefects } = loaderData;
  const defectFailure = failureFor(actionData, "defect");
  const correctFailure = failureFor(actionData, "correct");
  const respondFailure = failureFor(actionData, "respond");
  const declineFailure = failureFor(actionData, "decline");
  const extensionFailure = failureFor(actionData, "extension");
  const reportFailure = failureFor(actionData, "report");
  const answerFailure = failureFor(actionData, "answer");
  const suspended = procedure.status === "suspended";
  const running = procedure.status === "open";
  const canExtend = c.status === "accepted" && c.extensionsUsed < rules.maxExtensions && c.latestExtensionAt !== null && new Date(now) <= new Date(c.latestExtensionAt);
  const answerLabels = Object.fromEntries(objections.map((o) => [`answer-${o.id}`, "agencyPortal.objections.answer"]));
  const labels = { declineReason: "agencyPortal.decline.reason", days: "agencyPortal.extension.days", extensionReason: "agencyPortal.extension.reason", ...answerLabels };
  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/agency">{t("agencyPortal.title")}</Link> › {caseNumber}
      </p>
      <span className="caption">
        {t("agencyPortal.caption")} · {t("agencyPortal.rank")} {c.rank}
      </span>
      <h1>{asset.title}</h1>
      <p>
        <CommissionStatusTag status={c.status} />
      </p>
      {notice && <SuccessBanner>{t(notice)}</SuccessBanner>}
      <ProblemSummary failure={respondFailure ?? declineFailure ?? extensionFailure ?? answerFailure ?? defectFailure} labels={{ ...labels, ...Object.fromEntries(reports.map((r) => [`explanation-${r.id}`, "agencyPortal.defect.explanation"])) }} />
      {suspended && (
        <p className="inset-text" data-testid="suspended">
          {t("agencyPortal.suspendedLead")}
        </p>
      )}

      <SummaryList
        testId="commission-summary"
        rows={[
          ...assetFactRows(t, caseNumber, courtName, asset),
          ["agencyPortal.rank", String(c.rank)],
          ["agencyPortal.offeredAt", <DateTime iso={c.offeredAt} key="oa" />],
          ["agencyPortal.offerExpiresAt", c.status === "offered" ? <DateTime iso={c.offerExpiresAt} key="ox" /> : null],
          ["agencyPortal.respondedAt", c.respondedAt ? <DateTime iso={c.respondedAt} key="ra" /> : null],
          ["agencyPortal.declineReason", c.declineReason ? <Prose text={c.declineReason} key="dr" /> : null],
          ["agencyPortal.reportDueAt", c.reportDueAt ? <Due iso={c.reportDueAt} key="rd" /> : null],
          ["agencyPortal.extensionsUsed", c.status === "accepted" || c.extensionsUsed > 0 ? String(c.extensionsUsed) : null],
          ["agencyPortal.materialsDueAt", c.status === "overdue" && c.materialsDueAt ? <Due iso={c.materialsDueAt} key="md" /> : null],
        ]}
      />

      {c.status === "offered" && running && (
        <section aria-labelledby="respond" className="form-section" data-testid="respond">
          <h2 id="respond">{t("agencyPortal.respond.title")}</h2>
          <p>{t("agencyPortal.respond.lead")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="accept" />
            <button type="submit" className="button" disabled={busy} data-testid="accept">
              {t("agencyPortal.respond.accept")}
            </button>
          </Form>
          <FoldedForm summary="agencyPortal.decline.open" open={Boolean(declineFailure)} intent="decline">
            <TextArea
              name="declineReason"
              label="agencyPortal.decline.reason"
              defaultValue={declineFailure?.values.declineReason}
              error={declineFailure?.fields.declineReason}
              rows={3}
              maxLength={1000}
              hint={t("agencyPortal.decline.hint")}
            />
            <button type="submit" className="button button--warning" disabled={busy} data-testid="decline">
              {t("agencyPortal.decline.submit")}
            </button>
          </FoldedForm>
        </section>
      )}

      {c.status === "accepted" && running && (
        <section aria-labelledby="report" className="form-section" data-testid="report-section">
          <h2 id="report">{t("agencyPortal.report.title")}</h2>
          <p>{t("agencyPortal.report.lead")}</p>
          <ReportUploadForm
            id="report-form"
            failure={reportFailure}
            maxBytes={maxBytes}
            intent="report"
            fileLabel="agencyPortal.report.file"
            methodHint="agencyPortal.report.valuationMethodHint"
            validUntilHint
            submit={{ label: "agencyPortal.report.submit", className: "button", testId: "upload-report" }}
          />
        </section>
      )}

      {c.status === "accepted" && running && (
        <section aria-labelledby="extension" className="form-section" data-testid="extension-section">
          <h2 id="extension">{t("agencyPortal.extension.title")}</h2>
          <p className="inset-text" data-testid="extension-rule">
            {t("agencyPortal.extension.rule")}{" "}
            {c.latestExtensionAt && (
              <>
                {t("agencyPortal.extension.latest")} <DateTime iso={c.latestExtensionAt} />
              </>
            )}
          </p>
          {canExtend || extensionFailure ? (
            <Form method="post" noValidate className="narrow">
              <input type="hidden" name="intent" value="extension" />
              <Input name="days" label="agencyPortal.extension.days" defaultValue={extensionFailure?.values.days} error={extensionFailure?.fields.days} inputMode="numeric" maxLength={3} width="short" hint={t("agencyPortal.extension.daysHint")} />
              <TextArea name="extensionReason" label="agencyPortal.extension.reason" defaultValue={extensionFailure?.values.extensionReason} error={extensionFailure?.fields.extensionReason} rows={3} maxLength={1000} />
              <button type="submit" className="button button--secondary" disabled={busy} data-testid="request-extension">
                {t("agencyPortal.extension.submit")}
              </button>
            </Form>
          ) : (
            <p data-testid="extension-closed">{t(c.extensionsUsed >= rules.maxExtensions ? "agencyPortal.extension.noneLeft" : "agencyPortal.extension.tooLate")}</p>
          )}
        </section>
      )}

      {extensions.length > 0 && (
        <section aria-labelledby="extensions" className="form-section">
          <h2 id="extensions">{t("agencyPortal.extension.history")}</h2>
          <ol className="compact-list" data-testid="extensions">
            {extensions.map((e) => (
              <li key={e.id}>
                {t("agencyPortal.extension.granted")} {e.days} · <Due iso={e.previousDueAt} /> → <Due iso={e.newDueAt} /> · <Prose text={e.reason} />
              </li>
            ))}
          </ol>
        </section>
      )}

      {reports
        .filter((r) => openDefects.includes(r.id))
        .map((r) => (
          <section key={r.id} aria-labelledby={`defect-${r.id}`} className="form-section" data-testid="defect-section">
            <h2 id={`defect-${r.id}`}>{t("agencyPortal.defect.title")}</h2>
            <SummaryList
              rows={[
                ["agencyPortal.defect.kind", t(defectLabel(r.defectKind))],
                ["agencyPortal.defect.note", <Prose text={r.defectNote ?? ""} key="n" />],
                ["agencyPortal.defect.markedAt", <DateTime iso={r.defectMarkedAt} key="m" />],
                ["agencyPortal.defect.dueAt", <Due iso={r.defectDueAt} key="d" />],
              ]}
            />
            {r.defectOverdueAt && <p className="inset-text" data-testid="defect-overdue">{t("agencyPortal.defect.overdue")}</p>}
            <p>{t("agencyPortal.defect.lead")}</p>
            {running && (
              <>
                <Form method="post" noValidate className="narrow" data-testid="explain-defect">
                  <input type="hidden" name="intent" value="explain-defect" />
                  <input type="hidden" name="reportId" value={r.id} />
                  <TextArea name={`explanation-${r.id}`} label="agencyPortal.defect.explanation" defaultValue={defectFailure?.values[`explanation-${r.id}`]} error={defectFailure?.fields[`explanation-${r.id}`]} rows={5} maxLength={10000} />
                  <button type="submit" className="button" disabled={busy}>
                    {t("agencyPortal.defect.explainSubmit")}
                  </button>
                </Form>
                <h3>{t("agencyPortal.defect.correctTitle")}</h3>
                <ReportUploadForm
                  id={`correct-form-${r.id}`}
                  failure={correctFailure}
                  maxBytes={maxBytes}
                  intent="correct"
                  reportId={r.id}
                  fileLabel="agencyPortal.report.file"
                  submit={{ label: "agencyPortal.defect.correctSubmit", className: "button button--secondary", testId: "upload-correction" }}
                />
              </>
            )}
          </section>
        ))}

      <SentReports
        reports={reports}
        fileLabel="agencyPortal.report.file"
        more={(r) => [
          ["agencyPortal.report.deliveredAt", r.deliveredAt ? <DateTime iso={r.deliveredAt} key="d" /> : t("agencyPortal.report.notDelivered")],
          ["agencyPortal.defect.replaced", r.excluded && r.defectAnsweredAt ? <DateTime iso={r.defectAnsweredAt} key="x" /> : null],
          ["agencyPortal.defect.explanation", r.defectExplanation ? <Prose text={r.defectExplanation} key="e" /> : null],
        ]}
      />

      <ForwardedObjections objections={objections} failure={answerFailure} canAnswer={running} busy={busy} showAnsweredAt answerHint="agencyPortal.objections.answerHint" submitTestId="answer-objection" />
    </div>
  );
}

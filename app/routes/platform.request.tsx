import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/platform.request";
import { answerObjection, askInquiryExtension, checkReportUpload, inquiryReportSchema, REPORT_MAX_BYTES, submitCorrectedReport, submitInquiryReport } from "../../appraisal/index.ts";
import { DateTime, Money, Prose, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { FileFacts, OBJECTION_KINDS, OBJECTION_STATUSES } from "../components/appraisal-portal.tsx";
import { FileInput, failureFor, Input, MoneyInput, ProblemSummary, TextArea } from "../components/form-fields.tsx";
import { UploadForm } from "../components/upload-progress.tsx";
import { getPlatformRequest } from "../lib/platform-portal.server.ts";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, parseForm, refusal } from "../lib/forms.server.ts";
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
    const done = new URL(request.url).searchParams.get("done");
    return {
      ...toPlain(view),
      now: clock.now().toISOString(),
      maxBytes: REPORT_MAX_BYTES,
      notice: done && done in NOTICES ? NOTICES[done as keyof typeof NOTICES] : null,
    };
  } catch (error) {
    throw asPageError(error);
  }
}

const REPORT_FIELDS = ["valuationMethod", "valueFen", "valuationDate", "validUntil", "file"] as const;

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "platform.work");
  const requestId = pageId(params.requestId);
  const { db, clock } = services(context);
  // Refuse an oversized upload before reading it into memory.
  if (Number(request.headers.get("content-length") ?? 0) > REPORT_MAX_BYTES + 1024 * 1024) {
    return formFailure("report", {}, { file: "file.error.tooLarge.document" }, [], 413);
  }
  const form = await request.formData();
  const values = formValues(form);
  const intent = values.intent;
  const back = (done: keyof typeof NOTICES) => redirect(`/platform/requests/${requestId}?done=${done}`);
  try {
    if (intent === "report" || intent === "correction") {
      const upload = form.get("file");
      const file = upload instanceof File && upload.name !== "" ? { name: upload.name, type: upload.type, bytes: new Uint8Array(await upload.arrayBuffer()) } : null;
      const parsed = parseForm(inquiryReportSchema, values, { yuan: ["valueFen"], dates: ["valuationDate", "validUntil"], endOfDay: ["validUntil"] });
      if (!parsed.ok) {
        const checked = checkReportUpload(file);
        return formFailure("report", values, { ...parsed.fields, ...(checked.ok ? {} : { file: checked.error }) }, [], 400);
      }
      if (intent === "report") await submitInquiryReport(db, clock, user, requestId, { ...parsed.data, file });
      else await submitCorrectedReport(db, clock, user, requestId, { ...parsed.data, file });
      return back(intent);
    }
    if (intent === "extension") {
      await askInquiryExtension(db, clock, user, requestId);
      return back("extension");
    }
    if (intent === "answer") {
      const objectionId = pageId(values.objectionId);
      const field = `answer-${objectionId}`;
      const answer = values[field]?.trim() ?? "";
      if (answer === "") return formFailure("answer", values, { [field]: "validation.required" }, [], 400);
      try {
        await answerObjection(db, clock, user, objectionId, { answer });
      } catch (error) {
        return refusal(error, "answer", values, { formFields: [field], fieldMap: { answer: field } });
      }
      return back("answer");
    }
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
  const reportLabels = {
    valuationMethod: "agencyPortal.report.valuationMethod",
    valueFen: "agencyPortal.report.valueFen",
    valuationDate: "agencyPortal.report.valuationDate",
    validUntil: "agencyPortal.report.validUntil",
    file: "platformPortal.file",
  };
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
          ["agencyPortal.caseNumber", caseNumber],
          ["agencyPortal.court", courtName],
          ["agencyPortal.category", t(`category.${asset.category}`)],
          ["agencyPortal.region", asset.regionCode],
          ["lot.disclosure.description", <Prose text={asset.description} key="d" />],
          ["lot.disclosure.encumbrances", <Prose text={asset.encumbrances} key="e" />],
          ["lot.disclosure.occupancy", <Prose text={asset.occupancy} key="o" />],
          ["lot.disclosure.lease", <Prose text={asset.lease} key="l" />],
          ["lot.disclosure.taxes", <Prose text={asset.taxes} key="t" />],
          ["lot.disclosure.knownDefects", <Prose text={asset.knownDefects} key="k" />],
          ["platformPortal.sentAt", <DateTime iso={r.sentAt} key="s" />],
          ["platformPortal.dueAt", <DateTime iso={r.dueAt} key="du" />],
          ["platformPortal.extension.state", r.extended ? t("platformPortal.extension.granted") : r.extensionRequestedAt ? t("platformPortal.extension.asked") : null],
          ["platformPortal.correction.note", r.errorNote ? <Prose text={r.errorNote} key="n" /> : null],
          ["platformPortal.correction.dueAt", r.correctionDueAt ? <DateTime iso={r.correctionDueAt} key="c" /> : null],
        ]}
      />

      {(canReport || canCorrect || reportFailure) && (
        <section aria-labelledby="report" className="form-section" data-testid="report-section">
          <h2 id="report">{t(canCorrect ? "platformPortal.correction.title" : "platformPortal.report.title")}</h2>
          <p>{t(canCorrect ? "platformPortal.correction.lead" : "platformPortal.report.lead")}</p>
          <UploadForm id="report-form" failure={reportFailure} maxBytes={maxBytes} tooLarge="file.error.tooLarge.document" className="narrow">
            {(failure, uploading) => (
              <>
                <ProblemSummary failure={failure} labels={reportLabels} />
                <input type="hidden" name="intent" value={canCorrect ? "correction" : "report"} />
                <Input name="valuationMethod" label="agencyPortal.report.valuationMethod" defaultValue={failure?.values?.valuationMethod} error={failure?.fields.valuationMethod} maxLength={100} hint={t("platformPortal.report.methodHint")} />
                <MoneyInput name="valueFen" label="agencyPortal.report.valueFen" defaultValue={failure?.values?.valueFen} error={failure?.fields.valueFen} hint={t("form.yuanHint")} />
                <Input name="valuationDate" type="date" label="agencyPortal.report.valuationDate" defaultValue={failure?.values?.valuationDate} error={failure?.fields.valuationDate} width="medium" />
                <Input name="validUntil" type="date" label="agencyPortal.report.validUntil" defaultValue={failure?.values?.validUntil} error={failure?.fields.validUntil} width="medium" hint={t("agencyPortal.report.validUntilHint")} />
                <FileInput name="file" label="platformPortal.file" accept=".pdf,application/pdf" error={failure?.fields.file} hint={t("agencyPortal.report.fileHint")} />
                <button type="submit" className="button" disabled={uploading} data-testid="upload-report">
                  {t(canCorrect ? "platformPortal.correction.submit" : "platformPortal.report.submit")}
                </button>
              </>
            )}
          </UploadForm>
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

      {reports.length > 0 && (
        <section aria-labelledby="reports" className="form-section">
          <h2 id="reports">{t("agencyPortal.report.submitted")}</h2>
          {reports.map((x) => (
            <SummaryList
              key={x.id}
              testId="submitted-report"
              rows={[
                ["agencyPortal.report.valueFen", <Money fen={x.valueFen} key="v" />],
                ["agencyPortal.report.valuationMethod", x.valuationMethod],
                ["agencyPortal.report.valuationDate", <DateTime iso={x.valuationDate} dateOnly key="vd" />],
                ["agencyPortal.report.validUntil", <DateTime iso={x.validUntil} dateOnly key="vu" />],
                ["platformPortal.file", <FileFacts reportId={x.id} name={x.fileName} sizeBytes={x.sizeBytes} sha256={x.sha256} key="f" />],
                ["agencyPortal.report.submittedAt", <DateTime iso={x.submittedAt} key="s" />],
                ["platformPortal.replaced", x.excluded && x.id !== current?.id ? t("platformPortal.replacedYes") : null],
              ]}
            />
          ))}
        </section>
      )}

      {objections.length > 0 && (
        <section aria-labelledby="objections" className="form-section" data-testid="objections">
          <h2 id="objections">{t("agencyPortal.objections.title")}</h2>
          <p className="hint">{t("agencyPortal.objections.lead")}</p>
          {objections.map((o) => {
            const field = `answer-${o.id}`;
            const failure = answerFailure?.values.objectionId === o.id ? answerFailure : undefined;
            return (
              <article key={o.id} className="form-section" data-objection-id={o.id}>
                <h3>
                  {t(OBJECTION_KINDS[o.kind] ?? "agencyPortal.objections.title")} · {t(OBJECTION_STATUSES[o.status] ?? "agencyPortal.objections.title")}
                </h3>
                <SummaryList
                  rows={[
                    ["agencyPortal.objections.grounds", <Prose text={o.grounds} key="g" />],
                    ["agencyPortal.objections.forwardedAt", <DateTime iso={o.forwardedAt} key="f" />],
                    ["agencyPortal.objections.answerDueAt", o.status === "forwarded" ? <DateTime iso={o.answerDueAt} key="a" /> : null],
                    ["agencyPortal.objections.answer", o.answer ? <Prose text={o.answer} key="an" /> : null],
                  ]}
                />
                {o.status === "forwarded" && open && (
                  <Form method="post" noValidate className="narrow">
                    <input type="hidden" name="intent" value="answer" />
                    <input type="hidden" name="objectionId" value={o.id} />
                    <TextArea name={field} label="agencyPortal.objections.answer" defaultValue={failure?.values[field]} error={failure?.fields[field]} rows={6} maxLength={10000} />
                    <button type="submit" className="button" disabled={busy}>
                      {t("agencyPortal.objections.submit")}
                    </button>
                  </Form>
                )}
              </article>
            );
          })}
        </section>
      )}
    </div>
  );
}

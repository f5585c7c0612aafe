import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/court.procedure";
import {
  agreeAgencies,
  allowedDecisions,
  askReissue,
  askCorrections,
  checkReportUpload,
  decideObjection,
  defectOpen,
  deliverReport,
  drawAndCommission,
  fixInquiryPrice,
  fixReferencePrice,
  forwardObjection,
  markReportDefect,
  markReportError,
  openDraw,
  postingSchema,
  recordReportPosted,
  recordReviewOutcome,
  openDrawSchema,
  procedureView,
  recordDirectedAnswer,
  recordMaterialsReturned,
  REPORT_MAX_BYTES,
  reportInputSchema,
  resumeProcedure,
  suspendProcedure,
  withdrawProcedure,
} from "../../appraisal/index.ts";
import { AppError } from "../../core/errors.ts";
import { DateTime, Money, Prose, SuccessBanner, SummaryList } from "../components/auction.tsx";
import {
  BASIS_KIND_LABELS,
  CommissionTag,
  DeadlineTable,
  DECISION_LABELS,
  Due,
  EndReason,
  METHOD_LABELS,
  OBJECTION_KIND_LABELS,
  ObjectionExchange,
  ObjectionTag,
  ProcedureStatusTag,
  ReportFacts,
  SCOPE_LABELS,
} from "../components/appraisal.tsx";
import { failureFor, FileInput, Input, MoneyInput, ProblemSummary, Radios, Select, TextArea } from "../components/form-fields.tsx";
import { UploadForm } from "../components/upload-progress.tsx";
import { agreeableAgencies, inquiryMeanPreview, procedureDeadlines, procedureExtras } from "../../appraisal/index.ts";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, parseForm, refusal } from "../lib/forms.server.ts";
import { doneNotice, rowTextForm } from "../lib/appraisal-forms.server.ts";
import { toPlain } from "../lib/format.ts";
import type { SessionUser } from "../../identity/index.ts";

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: `${loaderData?.asset.title ?? "参考价 Reference price"} · 人民法院司法拍卖与评估平台` }];

const NOTICES = {
  started: "appraisal.notice.started",
  agreed: "appraisal.notice.agreed",
  drawOpened: "appraisal.notice.drawOpened",
  drawn: "appraisal.notice.drawn",
  materials: "appraisal.notice.materials",
  delivered: "appraisal.notice.delivered",
  forwarded: "appraisal.notice.forwarded",
  decided: "appraisal.notice.decided",
  priced: "appraisal.notice.priced",
  failed: "appraisal.notice.failed",
  errorMarked: "appraisal.notice.errorMarked",
  corrections: "appraisal.notice.corrections",
  answer: "appraisal.notice.answer",
  suspended: "appraisal.notice.suspended",
  resumed: "appraisal.notice.resumed",
  withdrawn: "appraisal.notice.withdrawn",
  posted: "appraisal.notice.posted",
  defectMarked: "appraisal.notice.defectMarked",
  reviewDecided: "appraisal.notice.reviewDecided",
  reissue: "appraisal.notice.reissue",
} as const;

/** A18: the kinds of defect in an appraisal report. */
const DEFECT_LABELS: Record<string, string> = { facts: "appraisal.defect.kinds.facts", scope: "appraisal.defect.kinds.scope", signatory: "appraisal.defect.kinds.signatory" };
const defectLabel = (kind: string | null): string => (kind && DEFECT_LABELS[kind]) || "appraisal.defect.title";
type Notice = keyof typeof NOTICES;

/** The procedure as its court's staff see it; anyone else is refused (403), an unknown id is not found. */
async function courtView(db: Parameters<typeof procedureView>[0], user: SessionUser, procedureId: string) {
  const view = await procedureView(db, user, procedureId);
  if (view.viewer !== "court") throw new AppError("FORBIDDEN");
  return view;
}

/**
 * Court staff: one reference-price procedure — its status and every deadline with its rule; for an
 * appraisal the agencies (agreed, A13, or drawn, P6), the commissions (A14–A16), the reports (A19), the
 * objections (A20, A21) and the price (A23); for an online inquiry the platforms' reports (A8, A9) and the
 * mean (A10); a negotiation's figures (A3); a directed inquiry's answer (A4); suspension and withdrawal (A24).
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "appraisal.manage");
  const procedureId = pageId(params.procedureId);
  const { db, clock } = services(context);
  try {
    const view = await courtView(db, user, procedureId);
    const extras = await procedureExtras(db, view);
    const now = clock.now();
    const p = view.procedure;
    const choosing = p.method === "appraisal" && p.status === "open" && view.ranking.length === 0 && extras.draw === null;
    return {
      ...toPlain({ ...view, ...extras }),
      deadlines: toPlain(procedureDeadlines(view, extras, now)),
      // A18: the reports whose defect awaits the agency's explanation or correction.
      openDefects: view.reports.filter(defectOpen).map((r) => r.id),
      // A20, A21: the decisions that fit each objection in its state (the rule lives in appraisal/rules).
      decisions: Object.fromEntries(view.objections.map((o) => [o.id, allowedDecisions(o.kind, o.status)])) as Record<string, readonly string[]>,
      agencies: choosing ? await agreeableAgencies(db, view.asset.category) : [],
      choosing,
      mean: p.method === "online_inquiry" ? toPlain(inquiryMeanPreview(extras, now)) : null,
      now: now.toISOString(),
      judge: user.role === "judge",
      maxBytes: REPORT_MAX_BYTES,
      notice: doneNotice(request, NOTICES),
    };
  } catch (error) {
    throw asPageError(error);
  }
}

const ANSWER_FIELDS = ["valuationMethod", "valueFen", "valuationDate", "validUntil", "file"] as const;

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "appraisal.manage");
  const procedureId = pageId(params.procedureId);
  const { db, clock } = services(context);
  // Refuse an oversized upload before reading it (the report's limit plus the form around it).
  if (Number(request.headers.get("content-length") ?? 0) > REPORT_MAX_BYTES + 1024 * 1024) {
    return formFailure("answer", {}, { file: "file.error.tooLarge.document" }, [], 413);
  }
  const form = await request.formData();
  const values = formValues(form);
  const intent = values.intent ?? "";
  const back = (done: Notice, hash = "") => redirect(`/court/procedures/${procedureId}?done=${done}${hash}`);
  // Every step is taken on this procedure: its court's staff only, whatever the ids in the form.
  let view: Awaited<ReturnType<typeof courtView>>;
  try {
    view = await courtView(db, user, procedureId);
  } catch (error) {
    throw asPageError(error);
  }
  const own = (ids: string[], id: string | undefined) => {
    const checked = pageId(id);
    if (!ids.includes(checked)) throw asPageError(new AppError("NOT_FOUND"));
    return checked;
  };
  const reportIds = view.reports.map((r) => r.id);
  const objectionIds = view.objections.map((o) => o.id);

  try {
    switch (intent) {
      case "agree": {
        const fields: Record<string, string> = {};
        for (const f of ["rank1", "rank2", "rank3"]) if (!values[f]) fields[f] = "validation.required";
        if (Object.keys(fields).length > 0) return formFailure("agree", values, fields, [], 400);
        await agreeAgencies(db, clock, user, procedureId, [values.rank1!, values.rank2!, values.rank3!]);
        return back("agreed");
      }
      case "open-draw": {
        const parsed = parseForm(openDrawSchema, values, { dates: ["entropyCutoffAt"] });
        if (!parsed.ok) return formFailure("draw", values, parsed.fields, [], 400);
        await openDraw(db, clock, user, procedureId, parsed.data);
        return back("drawOpened");
      }
      case "run-draw": {
        const extras = await procedureExtras(db, view);
        if (!extras.draw) throw new AppError("DRAW_NOT_APPLICABLE");
        // A13, A14: the draw runs and the first-ranked agency is commissioned in one transaction.
        await drawAndCommission(db, clock, user.id, extras.draw.id);
        return back("drawn");
      }
      case "materials":
        await recordMaterialsReturned(db, clock, user, own(view.commissions.map((c) => c.id), values.commissionId));
        return back("materials");
      case "deliver":
        await deliverReport(db, clock, user, own(reportIds, values.reportId));
        return back("delivered");
      case "forward":
        await forwardObjection(db, clock, user, own(objectionIds, values.objectionId));
        return back("forwarded");
      case "decide": {
        const objectionId = own(objectionIds, values.objectionId);
        const decision = values[`decision-${objectionId}`] ?? "";
        if (decision === "") return formFailure("decide", values, { [`decision-${objectionId}`]: "validation.required" }, [], 400);
        try {
          await decideObjection(db, clock, user, objectionId, { decision, note: values[`note-${objectionId}`] ?? "" });
        } catch (error) {
          return refusal(error, "decide", values, { formFields: [`decision-${objectionId}`, `note-${objectionId}`], fieldMap: { decision: `decision-${objectionId}`, note: `note-${objectionId}` } });
        }
        return back("decided");
      }
      case "fix": {
        if (view.procedure.method === "online_inquiry") {
          const result = await fixInquiryPrice(db, clock, user, procedureId);
          return back(result.kind === "priced" ? "priced" : "failed");
        }
        await fixReferencePrice(db, clock, user, procedureId, {});
        return back("priced");
      }
      case "mark-error": {
        const reportId = own(reportIds, values.reportId);
        const failed = await rowTextForm("mark-error", values, `errorNote-${reportId}`, "note", (note) => markReportError(db, clock, user, reportId, { note }));
        return failed ?? back("errorMarked");
      }
      case "post": {
        // A19: the report could not be served; it was posted on 中国执行信息公开网 (now, or at the time given).
        const reportId = own(reportIds, values.reportId);
        const field = `postedAt-${reportId}`;
        const parsed = parseForm(postingSchema, { postedAt: values[field] ?? "" }, { dates: ["postedAt"], optional: ["postedAt"] });
        if (!parsed.ok) return formFailure("post", values, { [field]: parsed.fields.postedAt ?? "validation.invalid" }, [], 400);
        try {
          await recordReportPosted(db, clock, user, reportId, parsed.data);
        } catch (error) {
          return refusal(error, "post", values, { formFields: [field], fieldMap: { postedAt: field } });
        }
        return back("posted");
      }
      case "mark-defect": {
        // A18: a defect of facts, scope or signatory in an agency's report.
        const reportId = own(reportIds, values.reportId);
        const kindField = `defectKind-${reportId}`;
        const noteField = `defectNote-${reportId}`;
        try {
          await markReportDefect(db, clock, user, reportId, { kind: values[kindField] ?? "", note: values[noteField] ?? "" });
        } catch (error) {
          return refusal(error, "mark-defect", values, { formFields: [kindField, noteField], fieldMap: { kind: kindField, note: noteField } });
        }
        return back("defectMarked");
      }
      case "review-outcome": {
        // A20: the outcome of a review of an objection's decision.
        const objectionId = own(objectionIds, values.objectionId);
        const outcomeField = `reviewOutcome-${objectionId}`;
        const noteField = `reviewNote-${objectionId}`;
        try {
          await recordReviewOutcome(db, clock, user, objectionId, { outcome: values[outcomeField] ?? "", note: values[noteField] ?? "" });
        } catch (error) {
          return refusal(error, "review-outcome", values, { formFields: [outcomeField, noteField], fieldMap: { outcome: outcomeField, note: noteField } });
        }
        return back("reviewDecided");
      }
      case "reissue":
        // A17: the price ran out before the first auction was announced; the same agency re-issues its report.
        await askReissue(db, clock, user, procedureId);
        return back("reissue");
      case "ask-corrections":
        await askCorrections(db, clock, user, procedureId);
        return back("corrections");
      case "answer": {
        const upload = form.get("file");
        const file = upload instanceof File && upload.name !== "" ? { name: upload.name, type: upload.type, bytes: new Uint8Array(await upload.arrayBuffer()) } : null;
        const parsed = parseForm(reportInputSchema, values, { yuan: ["valueFen"], dates: ["valuationDate", "validUntil"], endOfDay: ["validUntil"] });
        if (!parsed.ok) {
          const checked = checkReportUpload(file);
          return formFailure("answer", values, { ...parsed.fields, ...(checked.ok ? {} : { file: checked.error }) }, [], 400);
        }
        try {
          await recordDirectedAnswer(db, clock, user, procedureId, { ...parsed.data, file });
        } catch (error) {
          return refusal(error, "answer", values, { formFields: ANSWER_FIELDS });
        }
        return back("answer");
      }
      case "suspend":
      case "withdraw": {
        const reason = values[`${intent}Reason`]?.trim() ?? "";
        if (reason === "") return formFailure(intent, values, { [`${intent}Reason`]: "validation.required" }, [], 400);
        try {
          if (intent === "suspend") await suspendProcedure(db, clock, user, procedureId, { reason });
          else await withdrawProcedure(db, clock, user, procedureId, { reason });
        } catch (error) {
          return refusal(error, intent, values, { formFields: [`${intent}Reason`], fieldMap: { reason: `${intent}Reason` } });
        }
        return back(intent === "suspend" ? "suspended" : "withdrawn");
      }
      case "resume":
        await resumeProcedure(db, clock, user, procedureId);
        return back("resumed");
    }
  } catch (error) {
    const form = intent === "open-draw" ? "draw" : intent === "agree" ? "agree" : "step";
    return refusal(error, form, values, { formFields: form === "draw" ? ["regionScope", "entropyCutoffAt"] : form === "agree" ? ["rank1"] : [], fieldMap: { agencyIds: "rank1" } });
  }
  return formFailure("step", values, {}, ["validation.invalid"], 400);
}

const DRAW_LABELS = { regionScope: "appraisal.draw.regionScope", entropyCutoffAt: "appraisal.draw.cutoff" };
const AGREE_LABELS = { rank1: "appraisal.agree.rank1", rank2: "appraisal.agree.rank2", rank3: "appraisal.agree.rank3" };
const ANSWER_LABELS = {
  valuationMethod: "appraisal.answer.valuationMethod",
  valueFen: "appraisal.answer.valueFen",
  valuationDate: "appraisal.answer.valuationDate",
  validUntil: "appraisal.answer.validUntil",
  file: "appraisal.answer.file",
};

export default function CourtProcedure({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const d = loaderData;
  const p = d.procedure;
  const open = p.status === "open";
  const running = open || p.status === "suspended";
  const stepFailure = failureFor(actionData, "step");
  const drawFailure = failureFor(actionData, "draw");
  const agreeFailure = failureFor(actionData, "agree");
  const decideFailure = failureFor(actionData, "decide");
  const errorFailure = failureFor(actionData, "mark-error");
  const postFailure = failureFor(actionData, "post");
  const defectFailure = failureFor(actionData, "mark-defect");
  const reviewFailure = failureFor(actionData, "review-outcome");
  const answerFailure = failureFor(actionData, "answer");
  const suspendFailure = failureFor(actionData, "suspend");
  const withdrawFailure = failureFor(actionData, "withdraw");
  const rowLabels: Record<string, string> = {};
  for (const o of d.objections) {
    rowLabels[`decision-${o.id}`] = "appraisal.objection.decision";
    rowLabels[`note-${o.id}`] = "appraisal.objection.note";
  }
  for (const r of d.reports) {
    rowLabels[`errorNote-${r.id}`] = "appraisal.inquiry.errorNote";
    rowLabels[`postedAt-${r.id}`] = "appraisal.posting.postedAt";
    rowLabels[`defectKind-${r.id}`] = "appraisal.defect.kind";
    rowLabels[`defectNote-${r.id}`] = "appraisal.defect.note";
  }
  for (const o of d.objections) {
    rowLabels[`reviewOutcome-${o.id}`] = "appraisal.review.outcome";
    rowLabels[`reviewNote-${o.id}`] = "appraisal.review.note";
  }
  const objectionsOf = (reportId: string) => d.objections.filter((o) => o.reportId === reportId);
  const beforeCutoff = d.draw !== null && new Date(d.now) < new Date(d.draw.entropyCutoffAt);
  const button = (intent: string, label: string, extra: Record<string, string> = {}, testId?: string, secondary = false) => (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(extra).map(([k, v]) => (
        <input type="hidden" name={k} value={v} key={k} />
      ))}
      <button type="submit" className={secondary ? "button button--secondary" : "button"} disabled={busy} data-testid={testId}>
        {t(label)}
      </button>
    </Form>
  );

  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/court/cases">{t("court.cases.title")}</Link> › <Link to={`/court/cases/${p.caseId}`}>{d.caseNumber}</Link> ›{" "}
        <Link to={`/court/assets/${d.asset.id}`}>{d.asset.title}</Link>
      </p>
      <span className="caption">{t(METHOD_LABELS[p.method] ?? "appraisal.procedure.caption")}</span>
      <h1>
        {d.asset.title} <ProcedureStatusTag status={p.status} />
      </h1>
      {d.notice && <SuccessBanner>{t(d.notice)}</SuccessBanner>}
      <ProblemSummary failure={stepFailure ?? drawFailure ?? agreeFailure ?? decideFailure ?? errorFailure ?? postFailure ?? defectFailure ?? reviewFailure ?? answerFailure ?? suspendFailure ?? withdrawFailure} labels={{ ...DRAW_LABELS, ...AGREE_LABELS, ...ANSWER_LABELS, ...rowLabels, suspendReason: "appraisal.intervene.reason", withdrawReason: "appraisal.intervene.reason" }} />

      <SummaryList
        testId="procedure-summary"
        rows={[
          ["appraisal.procedure.method", t(METHOD_LABELS[p.method] ?? p.method)],
          ["appraisal.procedure.status", <ProcedureStatusTag status={p.status} key="s" />],
          ["appraisal.procedure.basisKind", p.basisKind ? `${t(BASIS_KIND_LABELS[p.basisKind] ?? p.basisKind)} (A11)` : null],
          ["appraisal.procedure.basis", <Prose text={p.basis} key="b" />],
          ["appraisal.procedure.startedAt", <DateTime iso={p.startedAt} key="st" />],
          ["appraisal.procedure.selection", p.selection ? t(p.selection === "agreed" ? "appraisal.procedure.agreed" : "appraisal.procedure.drawn") : null],
          ["appraisal.procedure.endedAt", p.endedAt ? <DateTime iso={p.endedAt} key="e" /> : null],
          ["appraisal.procedure.endReason", p.endReason ? <EndReason reason={p.endReason} key="r" /> : null],
          ["appraisal.procedure.suspendedAt", p.suspendedAt ? <DateTime iso={p.suspendedAt} key="su" /> : null],
        ]}
      />
      {p.lateStart && <p className="inset-text">{t("appraisal.procedure.lateStartText")}</p>}

      {d.price && (
        <section aria-labelledby="price" className="result-panel" data-testid="fixed-price">
          <h2 id="price">{t("appraisal.price.title")}</h2>
          <p>
            <Money fen={d.price.amountFen} className="money--strong" />
          </p>
          <p>
            {t("appraisal.price.valid")} <DateTime iso={d.price.validFrom} dateOnly /> – <DateTime iso={d.price.validUntil} dateOnly /> (A23)
          </p>
          <p className="hint">{d.price.documentTitle}</p>
          <p>
            <Link to={`/court/assets/${d.asset.id}/lots/new`} className="button" data-testid="set-up-lot">
              {t("court.asset.setUpLot")}
            </Link>
          </p>
          <p className="hint">{t("appraisal.price.saleStart")}</p>
          {p.status === "priced" && p.method === "appraisal" && d.judge && new Date(d.now) > new Date(d.price.validUntil) && (
            <div data-testid="reissue-panel">
              <p className="hint">{t("appraisal.reissue.lead")}</p>
              {button("reissue", "appraisal.reissue.ask", {}, "ask-reissue", true)}
            </div>
          )}
        </section>
      )}

      <section aria-labelledby="deadlines" className="form-section">
        <h2 id="deadlines">{t("appraisal.deadline.title")}</h2>
        {p.status === "suspended" && <p className="inset-text">{t("appraisal.deadline.suspended")}</p>}
        <DeadlineTable items={d.deadlines} />
      </section>

      {p.method === "negotiation" && (
        <section aria-labelledby="figures" className="form-section">
          <h2 id="figures">{t("appraisal.negotiation.title")} (A3)</h2>
          <p className="hint">{t("appraisal.negotiation.lead")}</p>
          <div className="table-wrap">
            <table className="table" data-testid="figures">
              <thead>
                <tr>
                  <th scope="col">{t("appraisal.party.role")}</th>
                  <th scope="col">{t("appraisal.party.name")}</th>
                  <th scope="col" className="numeric">
                    {t("appraisal.negotiation.figure")}
                  </th>
                  <th scope="col">{t("appraisal.negotiation.submittedAt")}</th>
                </tr>
              </thead>
              <tbody>
                {d.parties.map((party) => {
                  const figure = d.figures.find((f) => f.partyId === party.id);
                  return (
                    <tr key={party.id}>
                      <td>{t(party.role === "applicant" ? "partyRole.applicant" : "partyRole.debtor")}</td>
                      <td>{party.name}</td>
                      <td className="numeric">{figure ? <Money fen={figure.amountFen} /> : t("appraisal.negotiation.none")}</td>
                      <td>{figure ? <DateTime iso={figure.submittedAt} /> : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {p.method === "directed_inquiry" && (
        <section aria-labelledby="directed" className="form-section">
          <h2 id="directed">{t("appraisal.directed.title")} (A4)</h2>
          {d.requests.map((r) => (
            <p key={r.id}>
              {t("appraisal.directed.sentTo")} {addresseeLabel(r.addressee)} · {t("appraisal.directed.due")} <DateTime iso={r.dueAt} />
            </p>
          ))}
          {open && d.reports.length === 0 && (
            <UploadForm id="directed-answer" failure={answerFailure} maxBytes={d.maxBytes} tooLarge="file.error.tooLarge.document" className="narrow">
              {(failure, uploading) => (
                <>
                  <input type="hidden" name="intent" value="answer" />
                  <h3>{t("appraisal.directed.record")}</h3>
                  <Input name="valuationMethod" label={ANSWER_LABELS.valuationMethod} defaultValue={failure?.values?.valuationMethod} error={failure?.fields.valuationMethod} maxLength={100} hint={t("appraisal.directed.methodHint")} />
                  <MoneyInput name="valueFen" label={ANSWER_LABELS.valueFen} defaultValue={failure?.values?.valueFen} error={failure?.fields.valueFen} hint={t("form.yuanHint")} />
                  <Input name="valuationDate" type="date" label={ANSWER_LABELS.valuationDate} defaultValue={failure?.values?.valuationDate} error={failure?.fields.valuationDate} width="medium" />
                  <Input name="validUntil" type="date" label={ANSWER_LABELS.validUntil} defaultValue={failure?.values?.validUntil} error={failure?.fields.validUntil} width="medium" hint={t("court.asset.validUntilHint")} />
                  <FileInput name="file" label={ANSWER_LABELS.file} accept="application/pdf,.pdf" error={failure?.fields.file} hint={t("appraisal.directed.fileHint")} />
                  <button type="submit" className="button" disabled={uploading}>
                    {t("appraisal.directed.submit")}
                  </button>
                </>
              )}
            </UploadForm>
          )}
        </section>
      )}

      {p.method === "online_inquiry" && (
        <section aria-labelledby="platforms" className="form-section">
          <h2 id="platforms">{t("appraisal.inquiry.title")} (A7, A8)</h2>
          <div className="table-wrap">
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
                {d.requests.map((r) => {
                  const report = d.reports.filter((x) => x.inquiryRequestId === r.id).sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))[0];
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
                        {report ? t("appraisal.inquiry.reported") : r.late ? <strong className="tag tag--failed">{t("appraisal.inquiry.late")}</strong> : t("appraisal.inquiry.waiting")}
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
                      </td>
                      <td className="numeric">{report ? <Money fen={report.valueFen} /> : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {d.mean && (
            <div className="inset-text" data-testid="inquiry-mean">
              {d.mean.ok ? (
                <p>
                  {t("appraisal.inquiry.mean")} <Money fen={d.mean.amountFen} className="money--strong" /> (A10) · {t("appraisal.inquiry.meanOf")} {d.mean.used} / {d.mean.of}
                </p>
              ) : (
                <p>{t("appraisal.inquiry.noMean")}</p>
              )}
            </div>
          )}
          {open && d.judge && d.requests.some((r) => r.errorNote) && button("ask-corrections", "appraisal.inquiry.askCorrections", {}, "ask-corrections", true)}
          {open && d.judge && <p>{button("fix", "appraisal.inquiry.fix", {}, "fix-price")}</p>}
        </section>
      )}

      {p.method === "appraisal" && (
        <section aria-labelledby="agencies" className="form-section">
          <h2 id="agencies">{t("appraisal.agencies.title")} (A13)</h2>
          {d.choosing && (
            <>
              <p>{t("appraisal.agencies.choose")}</p>
              <details className="details" open={Boolean(drawFailure) || !agreeFailure}>
                <summary>{t("appraisal.draw.open")}</summary>
                <Form method="post" noValidate className="narrow" data-testid="open-draw">
                  <input type="hidden" name="intent" value="open-draw" />
                  <p className="hint">{t("appraisal.draw.openLead")}</p>
                  <Radios
                    name="regionScope"
                    label={DRAW_LABELS.regionScope}
                    defaultValue={drawFailure?.values.regionScope ?? "city"}
                    error={drawFailure?.fields.regionScope}
                    options={Object.entries(SCOPE_LABELS).map(([value, key]) => ({ value, label: t(key) }))}
                  />
                  <Input
                    name="entropyCutoffAt"
                    type="datetime-local"
                    label={DRAW_LABELS.entropyCutoffAt}
                    defaultValue={drawFailure?.values.entropyCutoffAt}
                    error={drawFailure?.fields.entropyCutoffAt}
                    width="medium"
                    hint={t("appraisal.draw.cutoffHint")}
                  />
                  <button type="submit" className="button" disabled={busy}>
                    {t("appraisal.draw.openSubmit")}
                  </button>
                </Form>
              </details>
              <details className="details" open={Boolean(agreeFailure)}>
                <summary>{t("appraisal.agree.title")}</summary>
                <Form method="post" noValidate className="narrow" data-testid="agree-agencies">
                  <input type="hidden" name="intent" value="agree" />
                  <p className="hint">{t("appraisal.agree.lead")}</p>
                  {(["rank1", "rank2", "rank3"] as const).map((rank) => (
                    <Select
                      key={rank}
                      name={rank}
                      label={AGREE_LABELS[rank]}
                      defaultValue={agreeFailure?.values[rank]}
                      error={agreeFailure?.fields[rank]}
                      emptyLabel={t("form.choose")}
                      options={d.agencies.map((a) => ({ value: a.agencyId, label: `${a.name}（${a.creditCode}）` }))}
                    />
                  ))}
                  <button type="submit" className="button" disabled={busy}>
                    {t("appraisal.agree.submit")}
                  </button>
                </Form>
              </details>
            </>
          )}

          {d.draw && (
            <div data-testid="draw-panel" data-drawn={d.draw.drawnAt ? "yes" : "no"}>
              <SummaryList
                rows={[
                  ["appraisal.draw.cutoff", <DateTime iso={d.draw.entropyCutoffAt} seconds key="c" />],
                  ["appraisal.draw.drawnAt", d.draw.drawnAt ? <DateTime iso={d.draw.drawnAt} seconds key="d" /> : t("appraisal.draw.notYet")],
                ]}
              />
              <p>
                <Link to={`/draws/${d.draw.id}`} data-testid="ceremony-link">
                  {t("appraisal.draw.ceremony")}
                </Link>
              </p>
              {!d.draw.drawnAt && (beforeCutoff ? <p className="hint">{t("appraisal.draw.waiting")}</p> : open && button("run-draw", "appraisal.draw.run", {}, "run-draw"))}
            </div>
          )}

          {d.ranking.length > 0 && (
            <>
              <h3>{t("appraisal.agencies.ranking")}</h3>
              <ol data-testid="ranking">
                {d.ranking.map((r) => (
                  <li key={r.agencyId}>
                    {r.agencyName} <span className="hint">{r.creditCode}</span>
                  </li>
                ))}
              </ol>
            </>
          )}

          {d.commissions.length > 0 && (
            <>
              <h3>{t("appraisal.commission.title")} (A14–A16)</h3>
              <div className="table-wrap">
                <table className="table" data-testid="commissions">
                  <thead>
                    <tr>
                      <th scope="col">{t("appraisal.commission.rank")}</th>
                      <th scope="col">{t("appraisal.commission.agency")}</th>
                      <th scope="col">{t("appraisal.commission.status")}</th>
                      <th scope="col">{t("appraisal.commission.offeredAt")}</th>
                      <th scope="col">{t("appraisal.commission.reportDueAt")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.commissions.map((c) => (
                      <tr key={c.id} data-commission-id={c.id}>
                        <td>{c.rank}</td>
                        <td>
                          {c.agencyName}
                          {c.declineReason && <span className="hint"> · {c.declineReason}</span>}
                        </td>
                        <td>
                          <CommissionTag status={c.status} />
                          {c.status === "overdue" && !c.materialsReturnedAt && running && button("materials", "appraisal.commission.materialsReturned", { commissionId: c.id }, undefined, true)}
                        </td>
                        <td>
                          <DateTime iso={c.offeredAt} />
                        </td>
                        <td>
                          <Due iso={c.reportDueAt} />
                          {c.extensions.length > 0 && (
                            <span className="hint">
                              {" "}
                              · {t("appraisal.commission.extensions")} {c.extensions.map((e) => `+${e.days}`).join(", ")}
                            </span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      )}

      {d.reports.length > 0 && (
        <section aria-labelledby="reports" className="form-section">
          <h2 id="reports">{t("appraisal.report.title")} (A19–A21)</h2>
          {d.reports.map((r) => (
            <ReportFacts key={r.id} report={r}>
              {!r.deliveredAt && open && p.method !== "directed_inquiry" && button("deliver", "appraisal.report.deliver", { reportId: r.id }, "deliver-report")}
              {r.postedAt && (
                <p data-testid="report-posted">
                  {t("appraisal.posting.posted")} <DateTime iso={r.postedAt} /> · {t("appraisal.posting.deemed")} <DateTime iso={r.deliveredAt!} /> (A19)
                </p>
              )}
              {!r.deliveredAt && !r.excluded && open && p.method !== "directed_inquiry" && (
                <details className="details" open={Boolean(postFailure?.fields[`postedAt-${r.id}`])}>
                  <summary>{t("appraisal.posting.record")} (A19)</summary>
                  <Form method="post" noValidate className="narrow" data-testid="post-report">
                    <input type="hidden" name="intent" value="post" />
                    <input type="hidden" name="reportId" value={r.id} />
                    <p className="hint">{t("appraisal.posting.lead")}</p>
                    <Input name={`postedAt-${r.id}`} type="datetime-local" label="appraisal.posting.postedAt" hint={t("appraisal.posting.postedAtHint")} defaultValue={postFailure?.values[`postedAt-${r.id}`]} error={postFailure?.fields[`postedAt-${r.id}`]} />
                    <button type="submit" className="button button--secondary" disabled={busy}>
                      {t("appraisal.posting.submit")}
                    </button>
                  </Form>
                </details>
              )}
              {r.defectMarkedAt && (
                <div className="inset-text" data-testid="report-defect" data-open={d.openDefects.includes(r.id) ? "true" : "false"}>
                  <p>
                    <strong>{t("appraisal.defect.title")} (A18)</strong> · {t(defectLabel(r.defectKind))} · <DateTime iso={r.defectMarkedAt} />
                  </p>
                  <p>
                    <Prose text={r.defectNote ?? ""} />
                  </p>
                  {d.openDefects.includes(r.id) ? (
                    <p>
                      {t("appraisal.defect.due")} <Due iso={r.defectDueAt!} />
                      {r.defectOverdueAt && <strong className="tag tag--failed">{t("appraisal.defect.overdue")}</strong>}
                    </p>
                  ) : r.defectExplanation ? (
                    <p>
                      {t("appraisal.defect.explained")} <DateTime iso={r.defectAnsweredAt!} />: <Prose text={r.defectExplanation} />
                    </p>
                  ) : (
                    r.defectAnsweredAt && (
                      <p>
                        {t("appraisal.defect.corrected")} <DateTime iso={r.defectAnsweredAt} />
                      </p>
                    )
                  )}
                </div>
              )}
              {r.commissionId && open && d.judge && !r.excluded && !d.openDefects.includes(r.id) && (
                <details className="details" open={Boolean(defectFailure?.fields[`defectKind-${r.id}`] || defectFailure?.fields[`defectNote-${r.id}`])}>
                  <summary>{t("appraisal.defect.mark")} (A18)</summary>
                  <Form method="post" noValidate className="narrow" data-testid="mark-defect">
                    <input type="hidden" name="intent" value="mark-defect" />
                    <input type="hidden" name="reportId" value={r.id} />
                    <Radios
                      name={`defectKind-${r.id}`}
                      label="appraisal.defect.kind"
                      defaultValue={defectFailure?.values[`defectKind-${r.id}`]}
                      error={defectFailure?.fields[`defectKind-${r.id}`]}
                      options={["facts", "scope", "signatory"].map((value) => ({ value, label: t(DEFECT_LABELS[value]!) }))}
                    />
                    <TextArea name={`defectNote-${r.id}`} label="appraisal.defect.note" defaultValue={defectFailure?.values[`defectNote-${r.id}`]} error={defectFailure?.fields[`defectNote-${r.id}`]} rows={2} maxLength={2000} />
                    <button type="submit" className="button button--secondary" disabled={busy}>
                      {t("appraisal.defect.markSubmit")}
                    </button>
                  </Form>
                </details>
              )}
              {p.method === "online_inquiry" && open && d.judge && !d.requests.find((x) => x.id === r.inquiryRequestId)?.errorNote && (
                <details className="details" open={Boolean(errorFailure?.fields[`errorNote-${r.id}`])}>
                  <summary>{t("appraisal.inquiry.markError")} (A9)</summary>
                  <Form method="post" noValidate className="narrow">
                    <input type="hidden" name="intent" value="mark-error" />
                    <input type="hidden" name="reportId" value={r.id} />
                    <TextArea name={`errorNote-${r.id}`} label="appraisal.inquiry.errorNote" defaultValue={errorFailure?.values[`errorNote-${r.id}`]} error={errorFailure?.fields[`errorNote-${r.id}`]} rows={2} maxLength={1000} />
                    <button type="submit" className="button button--secondary" disabled={busy}>
                      {t("appraisal.inquiry.markErrorSubmit")}
                    </button>
                  </Form>
                </details>
              )}
              {objectionsOf(r.id).map((o) => (
                <div key={o.id} className="inset-text" data-testid="objection" data-objection-id={o.id} data-status={o.status}>
                  <p>
                    <strong>{t(OBJECTION_KIND_LABELS[o.kind] ?? o.kind)}</strong> · {o.partyRole ? t(o.partyRole === "applicant" ? "partyRole.applicant" : "partyRole.debtor") : ""} {o.partyName} ·{" "}
                    <DateTime iso={o.filedAt} /> <ObjectionTag status={o.status} />
                  </p>
                  <ObjectionExchange objection={o} />
                  {o.reviewRequestedAt && (
                    <p data-testid="objection-review">
                      {t("appraisal.review.requested")} <DateTime iso={o.reviewRequestedAt} /> · <Prose text={o.reviewGrounds ?? ""} />
                      {o.reviewOutcome && (
                        <>
                          {" "}
                          · {t(o.reviewOutcome === "upheld" ? "appraisal.review.upheld" : "appraisal.review.rejected")}
                          {o.reviewNote && <> · {o.reviewNote}</>}
                        </>
                      )}
                    </p>
                  )}
                  {open && d.judge && o.reviewRequestedAt && !o.reviewDecidedAt && (
                    <Form method="post" noValidate className="narrow" data-testid="review-outcome">
                      <input type="hidden" name="intent" value="review-outcome" />
                      <input type="hidden" name="objectionId" value={o.id} />
                      <Radios
                        name={`reviewOutcome-${o.id}`}
                        label="appraisal.review.outcome"
                        defaultValue={reviewFailure?.values[`reviewOutcome-${o.id}`]}
                        error={reviewFailure?.fields[`reviewOutcome-${o.id}`]}
                        options={[
                          { value: "upheld", label: t("appraisal.review.upheld") },
                          { value: "rejected", label: t("appraisal.review.rejected") },
                        ]}
                      />
                      <TextArea name={`reviewNote-${o.id}`} label="appraisal.review.note" defaultValue={reviewFailure?.values[`reviewNote-${o.id}`]} error={reviewFailure?.fields[`reviewNote-${o.id}`]} rows={2} maxLength={5000} />
                      <button type="submit" className="button" disabled={busy}>
                        {t("appraisal.review.outcomeSubmit")}
                      </button>
                    </Form>
                  )}
                  {open && o.status === "filed" && o.kind === "technical" && button("forward", "appraisal.objection.forward", { objectionId: o.id }, "forward-objection")}
                  {open && d.judge && (d.decisions[o.id] ?? []).length > 0 && (
                    <Form method="post" noValidate className="narrow" data-testid="decide-objection">
                      <input type="hidden" name="intent" value="decide" />
                      <input type="hidden" name="objectionId" value={o.id} />
                      <Radios
                        name={`decision-${o.id}`}
                        label="appraisal.objection.decision"
                        defaultValue={decideFailure?.values[`decision-${o.id}`]}
                        error={decideFailure?.fields[`decision-${o.id}`]}
                        options={(d.decisions[o.id] ?? []).map((value) => ({ value, label: t(DECISION_LABELS[value]!) }))}
                      />
                      <TextArea name={`note-${o.id}`} label="appraisal.objection.note" defaultValue={decideFailure?.values[`note-${o.id}`]} error={decideFailure?.fields[`note-${o.id}`]} rows={2} maxLength={5000} />
                      <button type="submit" className="button" disabled={busy}>
                        {t("appraisal.objection.decideSubmit")}
                      </button>
                    </Form>
                  )}
                </div>
              ))}
            </ReportFacts>
          ))}
          {p.method === "appraisal" && open && d.judge && d.reports.some((r) => r.deliveredAt && !r.excluded) && (
            <div data-testid="fix-panel">
              <p className="hint">{t("appraisal.price.fixLead")}</p>
              {button("fix", "appraisal.price.fix", {}, "fix-price")}
            </div>
          )}
        </section>
      )}

      {running && d.judge && (
        <section aria-labelledby="intervene" className="form-section">
          <h2 id="intervene">{t("appraisal.intervene.title")} (A24)</h2>
          {p.status === "suspended" ? (
            <p>{button("resume", "appraisal.intervene.resume", {}, "resume")}</p>
          ) : (
            <details className="details" open={Boolean(suspendFailure)}>
              <summary>{t("appraisal.intervene.suspend")}</summary>
              <Form method="post" noValidate className="narrow">
                <input type="hidden" name="intent" value="suspend" />
                <p className="hint">{t("appraisal.intervene.suspendLead")}</p>
                <TextArea name="suspendReason" label="appraisal.intervene.reason" defaultValue={suspendFailure?.values.suspendReason} error={suspendFailure?.fields.suspendReason} rows={2} maxLength={1000} />
                <button type="submit" className="button button--secondary" disabled={busy}>
                  {t("appraisal.intervene.suspendSubmit")}
                </button>
              </Form>
            </details>
          )}
          <details className="details" open={Boolean(withdrawFailure)}>
            <summary>{t("appraisal.intervene.withdraw")}</summary>
            <Form method="post" noValidate className="narrow">
              <input type="hidden" name="intent" value="withdraw" />
              <p className="hint">{t("appraisal.intervene.withdrawLead")}</p>
              <TextArea name="withdrawReason" label="appraisal.intervene.reason" defaultValue={withdrawFailure?.values.withdrawReason} error={withdrawFailure?.fields.withdrawReason} rows={2} maxLength={1000} />
              <button type="submit" className="button button--warning" disabled={busy}>
                {t("appraisal.intervene.withdrawSubmit")}
              </button>
            </Form>
          </details>
        </section>
      )}
    </div>
  );
}

function addresseeLabel(addressee: string) {
  return addressee.replace(/^[a-z_]+: /, "");
}

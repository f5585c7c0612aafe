import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/my.case";
import { fileObjection, negotiationFigureSchema, partyCaseView, refuseNegotiation, requestReview, reviewAllowed, reviewDueAt, submitNegotiationFigure } from "../../appraisal/index.ts";
import { CN_SPC_2016 } from "../../core/ruleset.ts";
import { AppError } from "../../core/errors.ts";
import { DateTime, Due, Money, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { METHOD_LABELS, OBJECTION_KIND_HINTS, OBJECTION_KIND_LABELS, ObjectionExchange, ObjectionTag, ProcedureStatusTag, ReportFacts } from "../components/appraisal.tsx";
import { failureFor, FoldedForm, MoneyInput, ProblemSummary, Radios, TextArea } from "../components/form-fields.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, parseForm, refusal, readForm } from "../lib/forms.server.ts";
import { doneNotice, rowTextForm } from "../lib/appraisal-forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("titles.case", (d) => d.theCase.caseNumber);

const NOTICES = { figure: "appraisal.my.notice.figure", priced: "appraisal.my.notice.priced", refused: "appraisal.my.notice.refused", objection: "appraisal.my.notice.objection", review: "appraisal.my.notice.review" } as const;

/**
 * Parties: one case — per asset, the pricing procedures with what the party can do in each: give its
 * negotiation figure or refuse (A3), add entropy to a draw (P6), read delivered reports and object to
 * them within 5 days (A19–A21), and follow its objections and their answers.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "cases.party");
  const caseId = pageId(params.caseId);
  const { db, clock } = services(context);
  try {
    const data = await partyCaseView(db, user, caseId);
    // A20: until when the party may ask for review of each decision open to it (its rejected procedural objections).
    const reviewUntil: Record<string, string> = {};
    for (const p of data.procedures)
      for (const o of p.objections) if (o.partyId === data.party.id && o.decidedAt && reviewAllowed(o)) reviewUntil[o.id] = reviewDueAt(CN_SPC_2016, o.decidedAt).toISOString();
    return { ...toPlain(data), reviewUntil, now: clock.now().toISOString(), notice: doneNotice(request, NOTICES) };
  } catch (error) {
    throw asPageError(error);
  }
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "cases.party");
  const caseId = pageId(params.caseId);
  const { db, clock } = services(context);
  const values = formValues(await readForm(request));
  let data: Awaited<ReturnType<typeof partyCaseView>>;
  try {
    data = await partyCaseView(db, user, caseId);
  } catch (error) {
    throw asPageError(error);
  }
  // Only this case's procedures and delivered reports can be acted on from its page.
  const procedureId = values.procedureId ? pageId(values.procedureId) : null;
  const reportId = values.reportId ? pageId(values.reportId) : null;
  if (procedureId && !data.procedures.some((p) => p.procedure.id === procedureId)) throw asPageError(new AppError("NOT_FOUND"));
  if (reportId && !data.procedures.some((p) => p.reports.some((r) => r.id === reportId))) throw asPageError(new AppError("NOT_FOUND"));
  const back = (done: keyof typeof NOTICES) => redirect(`/my/cases/${caseId}?done=${done}`);

  if (values.intent === "figure" && procedureId) {
    const field = `amountFen-${procedureId}`;
    const parsed = parseForm(negotiationFigureSchema, { amountFen: values[field] ?? "" }, { yuan: ["amountFen"] });
    if (!parsed.ok) return formFailure("figure", values, { [field]: parsed.fields.amountFen ?? "validation.invalid" }, [], 400);
    try {
      const result = await submitNegotiationFigure(db, clock, user, procedureId, { amountFen: parsed.data.amountFen.toString() });
      return back(result.referencePriceId ? "priced" : "figure");
    } catch (error) {
      return refusal(error, "figure", values, { formFields: [field], fieldMap: { amountFen: field } });
    }
  }
  if (values.intent === "refuse" && procedureId) {
    const failed = await rowTextForm("refuse", values, `refuseReason-${procedureId}`, "reason", (reason) => refuseNegotiation(db, clock, user, procedureId, { reason }));
    return failed ?? back("refused");
  }
  if (values.intent === "object" && reportId) {
    const kindField = `kind-${reportId}`;
    const groundsField = `grounds-${reportId}`;
    const fields: Record<string, string> = {};
    if (!values[kindField]) fields[kindField] = "validation.required";
    if (!values[groundsField]?.trim()) fields[groundsField] = "validation.required";
    if (Object.keys(fields).length > 0) return formFailure("object", values, fields, [], 400);
    try {
      await fileObjection(db, clock, user, reportId, { kind: values[kindField]!, grounds: values[groundsField]! });
    } catch (error) {
      return refusal(error, "object", values, { formFields: [kindField, groundsField], fieldMap: { kind: kindField, grounds: groundsField } });
    }
    return back("objection");
  }
  if (values.intent === "review") {
    const objectionId = pageId(values.objectionId);
    if (!data.procedures.some((p) => p.objections.some((o) => o.id === objectionId))) throw asPageError(new AppError("NOT_FOUND"));
    const field = `reviewGrounds-${objectionId}`;
    if (!values[field]?.trim()) return formFailure("review", values, { [field]: "validation.required" }, [], 400);
    try {
      await requestReview(db, clock, user, objectionId, { grounds: values[field]! });
    } catch (error) {
      return refusal(error, "review", values, { formFields: [field], fieldMap: { grounds: field } });
    }
    return back("review");
  }
  return formFailure("none", values, {}, ["validation.invalid"], 400);
}

export default function MyCase({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const { theCase, party, assets, procedures, now, notice, reviewUntil } = loaderData;
  const reviewFailure = failureFor(actionData, "review");
  const figureFailure = failureFor(actionData, "figure");
  const refuseFailure = failureFor(actionData, "refuse");
  const objectFailure = failureFor(actionData, "object");
  const labels: Record<string, string> = {};
  for (const p of procedures) {
    labels[`amountFen-${p.procedure.id}`] = "appraisal.my.figure";
    labels[`refuseReason-${p.procedure.id}`] = "appraisal.my.refuseReason";
    for (const r of p.reports) {
      labels[`kind-${r.id}`] = "appraisal.my.objectionKind";
      labels[`grounds-${r.id}`] = "appraisal.my.grounds";
    }
    for (const o of p.objections) labels[`reviewGrounds-${o.id}`] = "appraisal.review.grounds";
  }
  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/my/cases">{t("appraisal.my.title")}</Link>
      </p>
      <span className="caption">{theCase.courtName}</span>
      <h1>{theCase.caseNumber}</h1>
      <p>
        <Link to={`/cases/${theCase.id}/fund-flow`}>{t("fundFlow.link")}</Link>
      </p>
      {notice && <SuccessBanner>{t(notice)}</SuccessBanner>}
      <ProblemSummary failure={figureFailure ?? refuseFailure ?? objectFailure ?? reviewFailure ?? failureFor(actionData, "none")} labels={labels} />
      <SummaryList
        rows={[
          ["appraisal.my.youAre", `${t(party.role === "applicant" ? "partyRole.applicant" : "partyRole.debtor")} · ${party.name}`],
          ["fields.enforcementBasis", theCase.enforcementBasis],
        ]}
      />
      {assets.map((asset) => {
        const own = procedures.filter((p) => p.asset.id === asset.id);
        return (
          <section key={asset.id} aria-labelledby={`asset-${asset.id}`} className="form-section" data-asset-id={asset.id}>
            <h2 id={`asset-${asset.id}`}>{asset.title}</h2>
            {own.length === 0 && <p>{t("appraisal.my.noProcedures")}</p>}
            {own.map((v) => {
              const p = v.procedure;
              const open = p.status === "open";
              const figure = v.figures[0];
              return (
                <div key={p.id} className="form-section" data-testid="party-procedure" data-procedure-id={p.id} data-method={p.method}>
                  <h3>
                    {t(METHOD_LABELS[p.method] ?? p.method)} <ProcedureStatusTag status={p.status} />
                  </h3>
                  <p className="hint">
                    {t("appraisal.procedure.startedAt")} <DateTime iso={p.startedAt} />
                  </p>
                  {v.price && (
                    <p data-testid="party-price">
                      {t("appraisal.price.title")}: <Money fen={v.price.amountFen} className="money--strong" /> · {t("appraisal.price.valid")} <DateTime iso={v.price.validFrom} dateOnly /> –{" "}
                      <DateTime iso={v.price.validUntil} dateOnly />
                    </p>
                  )}

                  {p.method === "negotiation" && (
                    <div data-testid="negotiation">
                      <p>
                        {t("appraisal.my.negotiationLead")} {p.dueAt && <Due iso={p.dueAt} />}
                      </p>
                      {figure && (
                        <p>
                          {t("appraisal.my.yourFigure")} <Money fen={figure.amountFen} /> · <DateTime iso={figure.submittedAt} />
                        </p>
                      )}
                      {open && p.dueAt && new Date(now) <= new Date(p.dueAt) && (
                        <>
                          <Form method="post" noValidate className="narrow" data-testid="figure-form">
                            <input type="hidden" name="intent" value="figure" />
                            <input type="hidden" name="procedureId" value={p.id} />
                            <MoneyInput
                              name={`amountFen-${p.id}`}
                              label="appraisal.my.figure"
                              defaultValue={figureFailure?.values[`amountFen-${p.id}`]}
                              error={figureFailure?.fields[`amountFen-${p.id}`]}
                              hint={t("appraisal.my.figureHint")}
                            />
                            <button type="submit" className="button" disabled={busy}>
                              {t("appraisal.my.figureSubmit")}
                            </button>
                          </Form>
                          <FoldedForm summary="appraisal.my.refuse" open={Boolean(refuseFailure?.fields[`refuseReason-${p.id}`])} intent="refuse">
                            <input type="hidden" name="procedureId" value={p.id} />
                            <p className="hint">{t("appraisal.my.refuseLead")}</p>
                            <TextArea name={`refuseReason-${p.id}`} label="appraisal.my.refuseReason" defaultValue={refuseFailure?.values[`refuseReason-${p.id}`]} error={refuseFailure?.fields[`refuseReason-${p.id}`]} rows={2} maxLength={1000} />
                            <button type="submit" className="button button--warning" disabled={busy}>
                              {t("appraisal.my.refuseSubmit")}
                            </button>
                          </FoldedForm>
                        </>
                      )}
                    </div>
                  )}

                  {v.draw && (
                    <p data-testid="party-draw">
                      {v.draw.drawnAt ? t("appraisal.my.drawDone") : t("appraisal.my.drawOpen")} <DateTime iso={v.draw.entropyCutoffAt} /> ·{" "}
                      <Link to={`/draws/${v.draw.id}`} data-testid="entropy-link">
                        {v.draw.drawnAt ? t("appraisal.my.drawSee") : t("appraisal.my.drawAdd")}
                      </Link>
                    </p>
                  )}
                  {v.ranking.length > 0 && (
                    <ol>
                      {v.ranking.map((r) => (
                        <li key={r.agencyId}>{r.agencyName}</li>
                      ))}
                    </ol>
                  )}

                  {v.reports.map((r) => {
                    const objections = v.objections.filter((o) => o.reportId === r.id);
                    const canObject = open && (p.method === "appraisal" || p.method === "online_inquiry") && r.objectionDueAt !== null && new Date(now) <= new Date(r.objectionDueAt) && !r.excluded;
                    return (
                      <ReportFacts key={r.id} report={r}>
                        {objections.map((o) => (
                          <div key={o.id} className="inset-text" data-testid="party-objection" data-status={o.status}>
                            <p>
                              <strong>{t(OBJECTION_KIND_LABELS[o.kind] ?? o.kind)}</strong> · {o.partyId === party.id ? t("appraisal.my.yours") : o.partyName} · <DateTime iso={o.filedAt} /> <ObjectionTag status={o.status} />
                            </p>
                            <ObjectionExchange objection={o} />
                            {o.reviewRequestedAt && (
                              <p data-testid="objection-review">
                                {t("appraisal.review.requested")} <DateTime iso={o.reviewRequestedAt} />
                                {o.reviewOutcome ? <> · {t(o.reviewOutcome === "upheld" ? "appraisal.review.upheld" : "appraisal.review.rejected")}</> : <> · {t("appraisal.review.pending")}</>}
                                {o.reviewNote && <> · {o.reviewNote}</>}
                              </p>
                            )}
                            {/* A20, A24: the review period runs through a suspension. */}
                            {(open || p.status === "suspended") && reviewUntil[o.id] && new Date(now) <= new Date(reviewUntil[o.id]!) && (
                              <FoldedForm summary="appraisal.review.ask" open={Boolean(reviewFailure?.fields[`reviewGrounds-${o.id}`])} intent="review" testId="review-form">
                                <input type="hidden" name="objectionId" value={o.id} />
                                <p className="hint">
                                  {t("appraisal.review.lead")} <Due iso={reviewUntil[o.id]!} />
                                </p>
                                <TextArea name={`reviewGrounds-${o.id}`} label="appraisal.review.grounds" defaultValue={reviewFailure?.values[`reviewGrounds-${o.id}`]} error={reviewFailure?.fields[`reviewGrounds-${o.id}`]} rows={4} maxLength={5000} />
                                <button type="submit" className="button" disabled={busy}>
                                  {t("appraisal.review.submit")}
                                </button>
                              </FoldedForm>
                            )}
                          </div>
                        ))}
                        {canObject && (
                          <FoldedForm summary="appraisal.my.object" open={Boolean(objectFailure?.fields[`grounds-${r.id}`] || objectFailure?.fields[`kind-${r.id}`])} intent="object" testId="objection-form">
                            <input type="hidden" name="reportId" value={r.id} />
                            <p className="hint">
                              {t("appraisal.my.objectLead")} <Due iso={r.objectionDueAt!} />
                            </p>
                            <Radios
                              name={`kind-${r.id}`}
                              label="appraisal.my.objectionKind"
                              defaultValue={objectFailure?.values[`kind-${r.id}`]}
                              error={objectFailure?.fields[`kind-${r.id}`]}
                              options={["technical", "procedural"].map((k) => ({ value: k, label: `${t(OBJECTION_KIND_LABELS[k]!)} — ${t(OBJECTION_KIND_HINTS[k]!)}` }))}
                            />
                            <TextArea name={`grounds-${r.id}`} label="appraisal.my.grounds" defaultValue={objectFailure?.values[`grounds-${r.id}`]} error={objectFailure?.fields[`grounds-${r.id}`]} rows={5} maxLength={5000} hint={t("appraisal.my.groundsHint")} />
                            <button type="submit" className="button" disabled={busy}>
                              {t("appraisal.my.objectSubmit")}
                            </button>
                          </FoldedForm>
                        )}
                      </ReportFacts>
                    );
                  })}
                </div>
              );
            })}
          </section>
        );
      })}
    </div>
  );
}

import { useTranslation } from "react-i18next";
import type { Route } from "./+types/court.procedure";
import { agreeableAgencies, allowedDecisions, defectOpen, defectRemedies, inquiryMeanPreview, priceReviewHold, procedureDeadlines, procedureExtras, REPORT_MAX_BYTES } from "../../appraisal/index.ts";
import { SuccessBanner } from "../components/auction.tsx";
import { ProblemSummary } from "../components/form-fields.tsx";
import { AGREE_LABELS, AgencySelection, DRAW_LABELS } from "../components/appraisal/agency-selection.tsx";
import { ANSWER_LABELS, DirectedInquiry } from "../components/appraisal/directed-inquiry.tsx";
import { FixedPrice } from "../components/appraisal/fixed-price.tsx";
import { INTERVENE_LABELS, Intervene } from "../components/appraisal/intervene.tsx";
import { NegotiationFigures } from "../components/appraisal/negotiation.tsx";
import { objectionFieldLabels } from "../components/appraisal/objections.tsx";
import { OnlineInquiry } from "../components/appraisal/online-inquiry.tsx";
import { isRunning } from "../components/appraisal/procedure-page.ts";
import { reportFieldLabels } from "../components/appraisal/report-remedies.tsx";
import { ReportsSection } from "../components/appraisal/reports.tsx";
import { ProcedureDeadlines, ProcedureFacts, ProcedureHeading } from "../components/appraisal/summary.tsx";
import { uploadTooLarge } from "../lib/appraisal-portal.server.ts";
import { doneNotice } from "../lib/appraisal-forms.server.ts";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, refusal, readForm } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { agree, materials, openDrawStep, runDraw } from "./court.procedure/agencies.server.ts";
import { resume, suspend, withdraw } from "./court.procedure/intervene.server.ts";
import { decide, forward, reviewOutcome } from "./court.procedure/objections.server.ts";
import { answer, answerTooLarge, askCorrectionsStep, fix, reissue } from "./court.procedure/price.server.ts";
import { deliver, extendDefect, markDefect, markError, passDefect, post } from "./court.procedure/reports.server.ts";
import { courtView, NOTICES, type StepHandler } from "./court.procedure/step.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("titles.procedure", (d) => d.asset.title);

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
      // A18: for a defect left unanswered past its deadline, the judge's ways on (a new deadline once, the next-ranked agency).
      defectRemedies: Object.fromEntries(view.reports.map((r) => [r.id, defectRemedies(r, now)])) as Record<string, readonly string[]>,
      // A20, A21: the decisions that fit each objection in its state (the rule lives in appraisal/rules).
      decisions: Object.fromEntries(view.objections.map((o) => [o.id, allowedDecisions(o.kind, o.status)])) as Record<string, readonly string[]>,
      agencies: choosing ? await agreeableAgencies(db, view.asset.category) : [],
      choosing,
      // A20: a party's review, asked or still open to ask, holds the price up: the page says until when.
      reviewHold: p.status === "open" ? toPlain(priceReviewHold(view, now)) : null,
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

/** Each form on the page posts its `intent`; each intent has one handler, grouped by the workflow's stage. */
const STEPS: Record<string, StepHandler> = {
  agree,
  "open-draw": openDrawStep,
  "run-draw": runDraw,
  materials,
  deliver,
  post,
  "mark-defect": markDefect,
  "extend-defect": extendDefect,
  "pass-defect-on": passDefect,
  "mark-error": markError,
  forward,
  decide,
  "review-outcome": reviewOutcome,
  fix,
  reissue,
  "ask-corrections": askCorrectionsStep,
  answer,
  suspend,
  withdraw,
  resume,
};

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "appraisal.manage");
  const procedureId = pageId(params.procedureId);
  const { db, clock, drawSeedKeys } = services(context);
  // Refuse an oversized upload before reading it (the report's limit plus the form around it).
  if (uploadTooLarge(request)) return answerTooLarge();
  const form = await readForm(request);
  const values = formValues(form);
  // Every step is taken on this procedure: its court's staff only, whatever the ids in the form.
  let view: Awaited<ReturnType<typeof courtView>>;
  try {
    view = await courtView(db, user, procedureId);
  } catch (error) {
    throw asPageError(error);
  }
  const intent = values.intent ?? "";
  if (!Object.hasOwn(STEPS, intent)) return formFailure("step", values, {}, ["validation.invalid"], 400);
  try {
    return await STEPS[intent]!({ db, clock, drawSeedKeys, user, procedureId, view, form, values });
  } catch (error) {
    // A refusal the step did not place on its own form: the page's error summary says it.
    return refusal(error, "step", values, { formFields: [] });
  }
}

export default function CourtProcedure({ loaderData: page, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const method = page.procedure.method;
  const labels = { ...DRAW_LABELS, ...AGREE_LABELS, ...ANSWER_LABELS, ...reportFieldLabels(page.reports), ...objectionFieldLabels(page.objections), ...INTERVENE_LABELS };
  return (
    <div>
      <ProcedureHeading page={page} />
      {page.notice && <SuccessBanner>{t(page.notice)}</SuccessBanner>}
      <ProblemSummary failure={actionData} labels={labels} />
      <ProcedureFacts page={page} />
      <FixedPrice page={page} />
      <ProcedureDeadlines page={page} />
      {method === "negotiation" && <NegotiationFigures page={page} />}
      {method === "directed_inquiry" && <DirectedInquiry page={page} actionData={actionData} />}
      {method === "online_inquiry" && <OnlineInquiry page={page} />}
      {method === "appraisal" && <AgencySelection page={page} actionData={actionData} />}
      {page.reports.length > 0 && <ReportsSection page={page} actionData={actionData} />}
      {isRunning(page) && page.judge && <Intervene page={page} actionData={actionData} />}
    </div>
  );
}

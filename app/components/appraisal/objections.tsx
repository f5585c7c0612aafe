// A party's objection to a report (A20, A21) on the court's page: the exchange so far, a review asked of the
// judge's decision, and the judge's forms. Their fields carry the objection's id, so that each input on the
// page has its own id for the error summary to link to.
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { DateTime, Prose } from "../auction.tsx";
import { DECISION_LABELS, OBJECTION_KIND_LABELS, ObjectionExchange, ObjectionTag } from "../appraisal.tsx";
import { failureFor, Radios, TextArea } from "../form-fields.tsx";
import { isOpen, type PageObjection, type PanelProps } from "./procedure-page.ts";
import { StepButton } from "./step-button.tsx";

/** The error summary's labels for the fields of these forms on every objection's row. */
export function objectionFieldLabels(objections: readonly { id: string }[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const o of objections) {
    labels[`decision-${o.id}`] = "appraisal.objection.decision";
    labels[`note-${o.id}`] = "appraisal.objection.note";
    labels[`reviewOutcome-${o.id}`] = "appraisal.review.outcome";
    labels[`reviewNote-${o.id}`] = "appraisal.review.note";
  }
  return labels;
}

export function ObjectionItem({ page, objection: o, actionData }: PanelProps & { objection: PageObjection }) {
  const { t } = useTranslation();
  const open = isOpen(page);
  // A20, A21: the decisions that fit the objection's kind and state (none once decided).
  const decisions = page.decisions[o.id] ?? [];
  return (
    <div className="inset-text" data-testid="objection" data-objection-id={o.id} data-status={o.status}>
      <p>
        <strong>{t(OBJECTION_KIND_LABELS[o.kind] ?? o.kind)}</strong> · {o.partyRole ? t(o.partyRole === "applicant" ? "partyRole.applicant" : "partyRole.debtor") : ""} {o.partyName} ·{" "}
        <DateTime iso={o.filedAt} /> <ObjectionTag status={o.status} />
      </p>
      <ObjectionExchange objection={o} />
      {o.reviewRequestedAt && <ReviewAsked objection={o} />}
      {open && page.judge && o.reviewRequestedAt && !o.reviewDecidedAt && <ReviewOutcomeForm objectionId={o.id} actionData={actionData} />}
      {open && o.status === "filed" && o.kind === "technical" && <StepButton intent="forward" label="appraisal.objection.forward" fields={{ objectionId: o.id }} testId="forward-objection" />}
      {open && page.judge && decisions.length > 0 && <DecideForm objectionId={o.id} decisions={decisions} actionData={actionData} />}
    </div>
  );
}

/** A20: the party asked for a review of the decision, on these grounds; and its outcome once recorded. */
function ReviewAsked({ objection: o }: { objection: PageObjection }) {
  const { t } = useTranslation();
  return (
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
  );
}

/** A20: the outcome of the review, upheld or rejected. */
function ReviewOutcomeForm({ objectionId, actionData }: { objectionId: string; actionData: unknown }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const failure = failureFor(actionData, "review-outcome");
  const outcome = `reviewOutcome-${objectionId}`;
  const note = `reviewNote-${objectionId}`;
  return (
    <Form method="post" noValidate className="narrow" data-testid="review-outcome">
      <input type="hidden" name="intent" value="review-outcome" />
      <input type="hidden" name="objectionId" value={objectionId} />
      <Radios
        name={outcome}
        label="appraisal.review.outcome"
        defaultValue={failure?.values[outcome]}
        error={failure?.fields[outcome]}
        options={[
          { value: "upheld", label: t("appraisal.review.upheld") },
          { value: "rejected", label: t("appraisal.review.rejected") },
        ]}
      />
      <TextArea name={note} label="appraisal.review.note" defaultValue={failure?.values[note]} error={failure?.fields[note]} rows={2} maxLength={5000} />
      <button type="submit" className="button" disabled={busy}>
        {t("appraisal.review.outcomeSubmit")}
      </button>
    </Form>
  );
}

/** A20, A21: the judge's decision, from those the objection's kind and state allow, with a note. */
function DecideForm({ objectionId, decisions, actionData }: { objectionId: string; decisions: readonly string[]; actionData: unknown }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const failure = failureFor(actionData, "decide");
  const decision = `decision-${objectionId}`;
  const note = `note-${objectionId}`;
  return (
    <Form method="post" noValidate className="narrow" data-testid="decide-objection">
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="objectionId" value={objectionId} />
      <Radios
        name={decision}
        label="appraisal.objection.decision"
        defaultValue={failure?.values[decision]}
        error={failure?.fields[decision]}
        options={decisions.map((value) => ({ value, label: t(DECISION_LABELS[value]!) }))}
      />
      <TextArea name={note} label="appraisal.objection.note" defaultValue={failure?.values[note]} error={failure?.fields[note]} rows={2} maxLength={5000} />
      <button type="submit" className="button" disabled={busy}>
        {t("appraisal.objection.decideSubmit")}
      </button>
    </Form>
  );
}

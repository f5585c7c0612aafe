import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { failureFor, TextArea } from "../form-fields.tsx";
import type { PanelProps } from "./procedure-page.ts";
import { StepButton } from "./step-button.tsx";

export const INTERVENE_LABELS = { suspendReason: "appraisal.intervene.reason", withdrawReason: "appraisal.intervene.reason" };

/** A24: the judge suspends (or resumes) a running procedure, or withdraws it; either with a reason. */
export function Intervene({ page, actionData }: PanelProps) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="intervene" className="form-section">
      <h2 id="intervene">{t("appraisal.intervene.title")}</h2>
      {page.procedure.status === "suspended" ? (
        <p>
          <StepButton intent="resume" label="appraisal.intervene.resume" testId="resume" />
        </p>
      ) : (
        <ReasonForm intent="suspend" actionData={actionData} />
      )}
      <ReasonForm intent="withdraw" actionData={actionData} />
    </section>
  );
}

const REASON_FORMS = {
  suspend: { summary: "appraisal.intervene.suspend", lead: "appraisal.intervene.suspendLead", submit: "appraisal.intervene.suspendSubmit", button: "button button--secondary" },
  withdraw: { summary: "appraisal.intervene.withdraw", lead: "appraisal.intervene.withdrawLead", submit: "appraisal.intervene.withdrawSubmit", button: "button button--warning" },
};

function ReasonForm({ intent, actionData }: { intent: "suspend" | "withdraw"; actionData: unknown }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const failure = failureFor(actionData, intent);
  const text = REASON_FORMS[intent];
  const field = `${intent}Reason` as const;
  return (
    <details className="details" open={Boolean(failure)}>
      <summary>{t(text.summary)}</summary>
      <Form method="post" noValidate className="narrow">
        <input type="hidden" name="intent" value={intent} />
        <p className="hint">{t(text.lead)}</p>
        <TextArea name={field} label={INTERVENE_LABELS[field]} defaultValue={failure?.values[field]} error={failure?.fields[field]} rows={2} maxLength={1000} />
        <button type="submit" className={text.button} disabled={busy}>
          {t(text.submit)}
        </button>
      </Form>
    </details>
  );
}

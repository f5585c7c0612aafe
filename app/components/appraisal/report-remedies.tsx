// The court's forms on one report's row: service by posting (A19), a defect (A18), an error (A9). Their fields
// carry the report's id, so that each input on the page has its own id for the error summary to link to.
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { DateTime, Due, Prose } from "../auction.tsx";
import { failureFor, Input, Radios, TextArea } from "../form-fields.tsx";
import type { PageReport } from "./procedure-page.ts";
import { StepButton } from "./step-button.tsx";

/** A18: the kinds of defect in an appraisal report, as the court's and the agency's pages name them. */
export const DEFECT_LABELS: Record<string, string> = { facts: "appraisal.defect.kinds.facts", scope: "appraisal.defect.kinds.scope", signatory: "appraisal.defect.kinds.signatory" };
export const defectLabel = (kind: string | null): string => (kind && DEFECT_LABELS[kind]) || "appraisal.defect.title";

/** The error summary's labels for the fields of these forms on every report's row. */
export function reportFieldLabels(reports: readonly { id: string }[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const r of reports) {
    labels[`errorNote-${r.id}`] = "appraisal.inquiry.errorNote";
    labels[`postedAt-${r.id}`] = "appraisal.posting.postedAt";
    labels[`defectKind-${r.id}`] = "appraisal.defect.kind";
    labels[`defectNote-${r.id}`] = "appraisal.defect.note";
  }
  return labels;
}

interface RowFormProps {
  reportId: string;
  actionData: unknown;
}

/** A19: the report could not be served and was posted; empty means now. */
export function PostingForm({ reportId, actionData }: RowFormProps) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const failure = failureFor(actionData, "post");
  const field = `postedAt-${reportId}`;
  return (
    <details className="details" open={Boolean(failure?.fields[field])}>
      <summary>{t("appraisal.posting.record")}</summary>
      <Form method="post" noValidate className="narrow" data-testid="post-report">
        <input type="hidden" name="intent" value="post" />
        <input type="hidden" name="reportId" value={reportId} />
        <p className="hint">{t("appraisal.posting.lead")}</p>
        <Input name={field} type="datetime-local" label="appraisal.posting.postedAt" hint={t("appraisal.posting.postedAtHint")} defaultValue={failure?.values[field]} error={failure?.fields[field]} />
        <button type="submit" className="button button--secondary" disabled={busy}>
          {t("appraisal.posting.submit")}
        </button>
      </Form>
    </details>
  );
}

/** A18: the defect marked, and while it is open its deadline; then the agency's explanation or correction. */
export function DefectNote({ report: r, open }: { report: PageReport; open: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="inset-text" data-testid="report-defect" data-open={open ? "true" : "false"}>
      <p>
        <strong>{t("appraisal.defect.title")}</strong> · {t(defectLabel(r.defectKind))} · <DateTime iso={r.defectMarkedAt} />
      </p>
      <p>
        <Prose text={r.defectNote ?? ""} />
      </p>
      {open ? (
        <p>
          {t("appraisal.defect.due")} <Due iso={r.defectDueAt!} />
          {r.defectOverdueAt && <strong className="tag tag--failed">{t("appraisal.defect.overdue")}</strong>}
          {r.defectExtendedAt && (
            <>
              {" "}
              · {t("appraisal.defect.extended")} <DateTime iso={r.defectExtendedAt} />
            </>
          )}
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
  );
}

/** A18: the agency let the defect's deadline pass: the ways on the rules allow the judge, each one button. */
export function OverdueDefectSteps({ reportId, remedies }: { reportId: string; remedies: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <div className="inset-text" data-testid="defect-remedies">
      <p>{t("appraisal.defect.overdueLead")}</p>
      {remedies.includes("extend") && <StepButton intent="extend-defect" label="appraisal.defect.extend" fields={{ reportId }} testId="extend-defect" secondary />}
      {remedies.includes("pass_on") && (
        <>
          <p className="hint">{t("appraisal.defect.passOnHint")}</p>
          <StepButton intent="pass-defect-on" label="appraisal.defect.passOn" fields={{ reportId }} testId="pass-defect-on" />
        </>
      )}
    </div>
  );
}

/** A18: the judge marks a defect of facts, scope or signatory in an agency's report. */
export function MarkDefectForm({ reportId, actionData }: RowFormProps) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const failure = failureFor(actionData, "mark-defect");
  const kind = `defectKind-${reportId}`;
  const note = `defectNote-${reportId}`;
  return (
    <details className="details" open={Boolean(failure?.fields[kind] || failure?.fields[note])}>
      <summary>{t("appraisal.defect.mark")}</summary>
      <Form method="post" noValidate className="narrow" data-testid="mark-defect">
        <input type="hidden" name="intent" value="mark-defect" />
        <input type="hidden" name="reportId" value={reportId} />
        <Radios
          name={kind}
          label="appraisal.defect.kind"
          defaultValue={failure?.values[kind]}
          error={failure?.fields[kind]}
          options={["facts", "scope", "signatory"].map((value) => ({ value, label: t(DEFECT_LABELS[value]!) }))}
        />
        <TextArea name={note} label="appraisal.defect.note" defaultValue={failure?.values[note]} error={failure?.fields[note]} rows={2} maxLength={2000} />
        <button type="submit" className="button button--secondary" disabled={busy}>
          {t("appraisal.defect.markSubmit")}
        </button>
      </Form>
    </details>
  );
}

/** A9: the judge marks an error in a platform's report, with a note the platform corrects it by. */
export function MarkErrorForm({ reportId, actionData }: RowFormProps) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const failure = failureFor(actionData, "mark-error");
  const field = `errorNote-${reportId}`;
  return (
    <details className="details" open={Boolean(failure?.fields[field])}>
      <summary>{t("appraisal.inquiry.markError")}</summary>
      <Form method="post" noValidate className="narrow">
        <input type="hidden" name="intent" value="mark-error" />
        <input type="hidden" name="reportId" value={reportId} />
        <TextArea name={field} label="appraisal.inquiry.errorNote" defaultValue={failure?.values[field]} error={failure?.fields[field]} rows={2} maxLength={1000} />
        <button type="submit" className="button button--secondary" disabled={busy}>
          {t("appraisal.inquiry.markErrorSubmit")}
        </button>
      </Form>
    </details>
  );
}

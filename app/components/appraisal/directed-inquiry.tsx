import { useTranslation } from "react-i18next";
import { Due } from "../auction.tsx";
import { failureFor, FileInput, Input, MoneyInput } from "../form-fields.tsx";
import { UploadForm } from "../upload-progress.tsx";
import { isOpen, type PanelProps } from "./procedure-page.ts";

export const ANSWER_LABELS = {
  valuationMethod: "appraisal.answer.valuationMethod",
  valueFen: "appraisal.answer.valueFen",
  valuationDate: "appraisal.answer.valuationDate",
  validUntil: "appraisal.answer.validUntil",
  file: "appraisal.answer.file",
};

/** A directed inquiry's addressee is stored as "tax_authority: 国家税务总局…": the name is what people read. */
const addresseeLabel = (addressee: string) => addressee.replace(/^[a-z_]+: /, "");

/** A4: to whom the court wrote and by when; until answered, the form to record the answer with its letter. */
export function DirectedInquiry({ page, actionData }: PanelProps) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="directed" className="form-section">
      <h2 id="directed">{t("appraisal.directed.title")}</h2>
      {page.requests.map((r) => (
        <p key={r.id}>
          {t("appraisal.directed.sentTo")} {addresseeLabel(r.addressee)} · {t("appraisal.directed.due")} <Due iso={r.dueAt} />
        </p>
      ))}
      {isOpen(page) && page.reports.length === 0 && <AnswerForm maxBytes={page.maxBytes} actionData={actionData} />}
    </section>
  );
}

function AnswerForm({ maxBytes, actionData }: { maxBytes: number; actionData: unknown }) {
  const { t } = useTranslation();
  return (
    <UploadForm id="directed-answer" failure={failureFor(actionData, "answer")} maxBytes={maxBytes} tooLarge="file.error.tooLarge.document" className="narrow">
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
  );
}

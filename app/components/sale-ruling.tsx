import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import { DateTime, Due } from "./auction.tsx";
import { Checkbox, Input, TextArea, type FormFailureData } from "./form-fields.tsx";

interface RulingView {
  paidAt: string;
  dueAt: string;
  documentNumber: string | null;
  servedAt: string | null;
  handoverDueAt: string | null;
  handedOverAt: string | null;
  handoverNote: string | null;
}

/**
 * E7, E8: after full payment the judge records the sale ruling's service (within 10 days), then the handover (within
 * 15 days of service). For housing the judge confirms the buyer is still eligible; the platform refuses otherwise.
 */
export function SaleRuling({ ruling, housing, canAct, failure, busy }: { ruling: RulingView; housing: boolean; canAct: boolean; failure: FormFailureData | undefined; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="ruling" className="form-section" data-testid="ruling-section">
      <h2 id="ruling">{t("courtLot.ruling.title")}</h2>
      <p>
        {t("courtLot.ruling.paidAt")} <DateTime iso={ruling.paidAt} />
      </p>
      {!ruling.servedAt && (
        <>
          <p className="inset-text" data-testid="ruling-due">
            {t("courtLot.ruling.dueBy")} <Due iso={ruling.dueAt} />
          </p>
          {canAct && (
            <Form method="post" noValidate className="narrow">
              <input type="hidden" name="intent" value="ruling" />
              <Input name="documentNumber" label="courtLot.ruling.documentNumber" defaultValue={failure?.values.documentNumber} error={failure?.fields.documentNumber} maxLength={100} />
              {housing && <Checkbox name="buyerEligible" label="courtLot.ruling.buyerEligible" error={failure?.fields.buyerEligible} />}
              <button type="submit" className="button" disabled={busy} data-testid="ruling-submit">
                {t("courtLot.ruling.submit")}
              </button>
            </Form>
          )}
        </>
      )}
      {ruling.servedAt && (
        <p data-testid="ruling-served">
          {t("courtLot.ruling.served")} {ruling.documentNumber} · <DateTime iso={ruling.servedAt} />
        </p>
      )}
      {ruling.servedAt && !ruling.handedOverAt && (
        <>
          <p className="inset-text" data-testid="handover-due">
            {t("courtLot.ruling.handoverDueBy")} <Due iso={ruling.handoverDueAt!} />
          </p>
          {canAct && (
            <Form method="post" noValidate className="narrow">
              <input type="hidden" name="intent" value="handover" />
              <TextArea name="note" label="courtLot.ruling.handoverNote" defaultValue={failure?.values.note} error={failure?.fields.note} rows={2} maxLength={500} />
              <button type="submit" className="button" disabled={busy} data-testid="handover-submit">
                {t("courtLot.ruling.handoverSubmit")}
              </button>
            </Form>
          )}
        </>
      )}
      {ruling.handedOverAt && (
        <p data-testid="handed-over">
          {t("courtLot.ruling.handedOver")} <DateTime iso={ruling.handedOverAt} />
          {ruling.handoverNote ? ` · ${ruling.handoverNote}` : ""}
        </p>
      )}
    </section>
  );
}

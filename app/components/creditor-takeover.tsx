import { useTranslation } from "react-i18next";
import { DateTime, Money } from "./auction.tsx";
import { Checkbox, FoldedForm, Radios, type FormFailureData } from "./form-fields.tsx";

interface Takeover {
  priceFen: string;
  excessFen: string;
  partyName: string;
  recordedAt: string;
}

/**
 * F7, F12, P8: a failed lot's asset may go to an applicant creditor at the lot's reserve instead of a further round;
 * for a home the court confirms the creditor may buy it. Once recorded, it is shown instead of the form.
 */
export function CreditorTakeover(props: {
  takeover: Takeover | null;
  priceFen: string;
  applicants: { id: string; name: string; claimFen: string | null }[];
  housing: boolean;
  canAct: boolean;
  failure: FormFailureData | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const { takeover, failure } = props;
  return (
    <section aria-labelledby="takeover" className="form-section" data-testid="takeover-section">
      <h2 id="takeover">{t("courtLot.takeover.title")}</h2>
      {takeover ? (
        <p className="inset-text" data-testid="takeover">
          {t("courtLot.takeover.recorded")} {takeover.partyName} · <Money fen={takeover.priceFen} /> · <DateTime iso={takeover.recordedAt} />
          {BigInt(takeover.excessFen) > 0n && (
            <>
              <br />
              {t("courtLot.takeover.excess")} <Money fen={takeover.excessFen} />
            </>
          )}
        </p>
      ) : (
        props.canAct &&
        props.applicants.length > 0 && (
          <FoldedForm summary="courtLot.takeover.open" open={Boolean(failure)} intent="takeover">
            <p>
              {t("courtLot.takeover.lead")} <Money fen={props.priceFen} />
            </p>
            <Radios
              name="partyId"
              label="courtLot.takeover.creditor"
              defaultValue={failure?.values.partyId}
              error={failure?.fields.partyId}
              options={props.applicants.map((a) => ({ value: a.id, label: a.name }))}
            />
            {props.housing && <Checkbox name="creditorEligible" label="courtLot.takeover.eligible" error={failure?.fields.creditorEligible} />}
            <button type="submit" className="button button--secondary" disabled={props.busy} data-testid="takeover-submit">
              {t("courtLot.takeover.submit")}
            </button>
          </FoldedForm>
        )
      )}
    </section>
  );
}

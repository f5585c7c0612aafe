import { useTranslation } from "react-i18next";
import { Due, Money } from "./auction.tsx";
import { FoldedForm, Input, MoneyInput, type FormFailureData } from "./form-fields.tsx";
import { fenToYuanInput, toShanghaiInput } from "../lib/format.ts";

/** What a later round is measured against (F6, F9): the failed round's start, the least this one may start at, and by when. */
export interface RoundBasis {
  round: "second" | "sale_off";
  failedStartFen: string;
  floorFen: string;
  /** F6: bidding starts by then; F9: the sale-off is announced by then. Null for a re-auction after a default. */
  deadline: string | null;
}

interface DraftNumbers {
  startingPriceFen: string;
  depositFen: string;
  incrementFen: string;
  biddingStartsAt: string;
  biddingEndsAt: string;
  balanceDueDays: number;
  partiesNotifiedAt: string | null;
}

/** The court adjusts a draft's numbers and dates before publishing it: above all a drafted second auction or sale-off. */
export function LotDraftForm({ lot, basis, failure, busy }: { lot: DraftNumbers; basis: RoundBasis | null; failure: FormFailureData | undefined; busy: boolean }) {
  const { t } = useTranslation();
  const v = failure?.values;
  const err = failure?.fields;
  return (
    <FoldedForm summary="courtLot.draftOpen" open={Boolean(failure)} intent="draft">
      {basis && (
        <p className="inset-text" data-testid="round-basis">
          {t(basis.round === "second" ? "courtLot.basis.second" : "courtLot.basis.saleOff")} <Money fen={basis.failedStartFen} />
          {basis.round === "second" && (
            <>
              {" "}
              {t("courtLot.basis.floor")} <Money fen={basis.floorFen} />
            </>
          )}
          {basis.deadline && (
            <>
              <br />
              {t(basis.round === "second" ? "courtLot.basis.startBy" : "courtLot.basis.announceBy")} <Due iso={basis.deadline} />
            </>
          )}
        </p>
      )}
      <MoneyInput name="startingPriceFen" defaultValue={v?.startingPriceFen ?? fenToYuanInput(lot.startingPriceFen)} error={err?.startingPriceFen} />
      <MoneyInput name="depositFen" defaultValue={v?.depositFen ?? fenToYuanInput(lot.depositFen)} error={err?.depositFen} hint={basis?.round === "sale_off" ? t("courtLot.basis.prepay") : undefined} />
      <MoneyInput name="incrementFen" defaultValue={v?.incrementFen ?? fenToYuanInput(lot.incrementFen)} error={err?.incrementFen} />
      <Input name="biddingStartsAt" type="datetime-local" defaultValue={v?.biddingStartsAt ?? toShanghaiInput(lot.biddingStartsAt)} error={err?.biddingStartsAt} width="medium" hint={t("form.beijingTime")} />
      <Input name="biddingEndsAt" type="datetime-local" defaultValue={v?.biddingEndsAt ?? toShanghaiInput(lot.biddingEndsAt)} error={err?.biddingEndsAt} width="medium" hint={t("form.beijingTime")} />
      <Input name="balanceDueDays" defaultValue={v?.balanceDueDays ?? String(lot.balanceDueDays)} error={err?.balanceDueDays} inputMode="numeric" maxLength={2} width="short" />
      <Input
        name="partiesNotifiedAt"
        type="datetime-local"
        defaultValue={v?.partiesNotifiedAt ?? (lot.partiesNotifiedAt ? toShanghaiInput(lot.partiesNotifiedAt) : "")}
        error={err?.partiesNotifiedAt}
        width="medium"
        hint={t("form.beijingTime")}
      />
      <button type="submit" className="button button--secondary" disabled={busy} data-testid="draft-submit">
        {t("courtLot.draftSubmit")}
      </button>
    </FoldedForm>
  );
}

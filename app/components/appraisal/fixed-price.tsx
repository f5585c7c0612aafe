import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { DateTime, Money } from "../auction.tsx";
import type { ProcedurePage } from "./procedure-page.ts";
import { StepButton } from "./step-button.tsx";

/**
 * The reference price once fixed, valid for its period (A23), with the way to set up a lot from it; once an
 * appraisal's or an online inquiry's price has run out, the judge may ask for a new report (A17): the agency
 * re-issues it, or the platforms are asked again. Once a newer procedure prices the asset, the page links to it.
 */
export function FixedPrice({ page }: { page: ProcedurePage }) {
  const { t } = useTranslation();
  const { procedure: p, price } = page;
  if (!price) return null;
  const inquiry = p.method === "online_inquiry";
  const expired = p.status === "priced" && (p.method === "appraisal" || inquiry) && page.judge && new Date(page.now) > new Date(price.validUntil);
  return (
    <section aria-labelledby="price" className="result-panel" data-testid="fixed-price">
      <h2 id="price">{t("appraisal.price.title")}</h2>
      <p>
        <Money fen={price.amountFen} className="money--strong" />
      </p>
      <p>
        {t("appraisal.price.valid")} <DateTime iso={price.validFrom} dateOnly /> – <DateTime iso={price.validUntil} dateOnly />
      </p>
      <p className="hint">{price.documentTitle}</p>
      <p>
        <Link to={`/court/assets/${page.asset.id}/lots/new`} className="button" data-testid="set-up-lot">
          {t("court.asset.setUpLot")}
        </Link>
      </p>
      <p className="hint">{t("appraisal.price.saleStart")}</p>
      {page.newerProcedureId ? (
        <p data-testid="newer-procedure">
          {t("appraisal.reissue.newer")} <Link to={`/court/procedures/${page.newerProcedureId}`}>{t("appraisal.reissue.newerLink")}</Link>
        </p>
      ) : (
        expired && (
          <div data-testid="reissue-panel">
            <p className="hint">{t(inquiry ? "appraisal.reissue.leadInquiry" : "appraisal.reissue.lead")}</p>
            <StepButton intent="reissue" label={inquiry ? "appraisal.reissue.askInquiry" : "appraisal.reissue.ask"} testId="ask-reissue" secondary />
          </div>
        )
      )}
    </section>
  );
}

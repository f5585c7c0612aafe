import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { LotPageExtras } from "../lib/lot-page.server.ts";
import { shareText } from "../lib/lot-documents.ts";
import { DateTime, Money, SummaryList } from "./auction.tsx";

/** The reference price is an appraised value when an appraisal fixed it: bidders know it as 评估价. */
const referenceLabel = (method: string) => (method === "appraisal" ? "lotPrice.appraisal" : "lotPrice.reference");

/** 起拍价 beside 评估价 / 参考价, with the share people compare lots by: "起拍价为参考价的 70%（七折）". */
export function PriceComparison({ startingFen, referenceFen, method }: { startingFen: string; referenceFen: string; method: string }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="price-compare" data-testid="price-compare">
      <dl className="price-compare__list">
        <div>
          <dt>{t("lotPrice.starting")}</dt>
          <dd data-testid="starting-price">
            <Money fen={startingFen} />
          </dd>
        </div>
        <div>
          <dt>{t(referenceLabel(method))}</dt>
          <dd data-testid="reference-price">
            <Money fen={referenceFen} />
          </dd>
        </div>
      </dl>
      <p className="price-compare__share" data-testid="price-share">
        {shareText(t, i18n.language, startingFen, referenceFen)}
      </p>
    </div>
  );
}

/**
 * B8: how the reference price was set, in words, with the appraisal report or inquiry results the law publishes
 * with the announcement (ADR 027), and the public draw that chose the agency.
 */
export function ReferenceBasis({ lotId, reference, basis }: { lotId: string; reference: { method: string; amountFen: string; documentTitle: string; validUntil: string }; basis: LotPageExtras["basis"] }) {
  const { t } = useTranslation();
  const reports = basis?.reports ?? [];
  return (
    <section aria-labelledby="basis-heading" data-testid="price-basis">
      <h2 id="basis-heading">{t("lotPrice.basisTitle")}</h2>
      <p>{t(`lotPrice.basis.${reference.method}`)}</p>
      <SummaryList
        rows={[
          ["lotPrice.basisLead", t(`priceMethod.${reference.method}`)],
          [referenceLabel(reference.method), <Money fen={reference.amountFen} key="a" />],
          ["lotPrice.document", reference.documentTitle],
          ["lotPrice.validUntil", <DateTime iso={reference.validUntil} dateOnly key="v" />],
        ]}
      />
      {reports.length > 0 ? (
        <>
          <h3>{t("lotPrice.reports")}</h3>
          <p>{t("lotPrice.reportsLead")}</p>
          <ul className="plain-list" data-testid="basis-reports">
            {reports.map((r) => (
              <li key={r.id}>
                <a href={`/lots/${lotId}/basis/${r.id}`}>{r.source}</a> · {t("lotPrice.reportMethod")} {r.valuationMethod} · {t("lotPrice.reportValue")} <Money fen={r.valueFen} /> ·{" "}
                <DateTime iso={r.valuationDate} dateOnly />{" "}
                <span className="hint">
                  (PDF, {Math.ceil(r.sizeBytes / 1024)} KB · SHA-256 {r.sha256.slice(0, 12)}…)
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="hint" data-testid="basis-no-report">
          {t(reference.method === "negotiation" ? "lotPrice.noReport" : "lotPrice.noFile")}
        </p>
      )}
      {basis?.drawId && (
        <p>
          <Link to={`/draws/${basis.drawId}`}>{t("lotPrice.draw")}</Link>
        </p>
      )}
      <p className="hint">{t("lotPrice.legalBasis")}</p>
    </section>
  );
}

import { useTranslation } from "react-i18next";
import type { LotView } from "../lib/lot-view.server.ts";
import { DateTime, Money, PriorityHolders, Prose, SummaryList } from "./auction.tsx";

/** B8: what the announcement discloses about the lot, as the public reads it (the lot page, and the judge's preview before publishing). */
export function LotDisclosures({ lot }: { lot: LotView }) {
  const { t } = useTranslation();
  const latest = lot.announcements[0];
  return (
    <SummaryList
      testId="disclosures"
      rows={[
        ["lot.disclosure.enforcementBasis", <Prose text={lot.enforcementBasis} key="e" />],
        [
          "lot.disclosure.pricing",
          <span key="p">
            {t(`priceMethod.${lot.reference.method}`)} · {lot.reference.documentTitle} · <Money fen={lot.reference.amountFen} />
            <br />
            {t("lot.disclosure.validUntil")} <DateTime iso={lot.reference.validUntil} dateOnly />
          </span>,
        ],
        ["lot.disclosure.panelDecision", latest ? <Prose text={latest.content.panelDecision} key="pd" /> : null],
        ["lot.disclosure.region", lot.asset.place || null],
        ["lot.disclosure.description", <Prose text={lot.asset.description} key="d" />],
        ["lot.disclosure.encumbrances", <Prose text={lot.asset.encumbrances} key="en" />],
        ["lot.disclosure.occupancy", <Prose text={lot.asset.occupancy} key="o" />],
        ["lot.disclosure.lease", <Prose text={lot.asset.lease} key="l" />],
        ["lot.disclosure.taxes", <Prose text={lot.asset.taxes} key="t" />],
        ["lot.disclosure.knownDefects", <Prose text={lot.asset.knownDefects} key="k" />],
        ["lot.disclosure.priorityHolders", <PriorityHolders holders={lot.priorityHolders} key="ph" />],
        ["lot.disclosure.partiesNotified", lot.partiesNotifiedAt ? <DateTime iso={lot.partiesNotifiedAt} key="n" /> : t("lot.disclosure.partiesNotNotified")],
        ["lot.disclosure.depositAccount", latest ? <Prose text={latest.content.depositAccount} key="da" /> : null],
        ["lot.disclosure.transferTaxes", latest ? <Prose text={latest.content.transferTaxes} key="tt" /> : null],
        ["lot.disclosure.courtContact", latest ? <Prose text={latest.content.courtContact} key="cc" /> : null],
      ]}
    />
  );
}

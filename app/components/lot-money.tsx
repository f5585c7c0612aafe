import { useTranslation } from "react-i18next";
import type { LotMoney } from "../../escrow/index.ts";
import type { Plain } from "../lib/format.ts";
import { DateTime, Money, SummaryList } from "./auction.tsx";

/**
 * The lot's money for the public (P14): deposits, price, balance and distribution totals once bidding has ended.
 * Before that it says only when they will be shown: not even a total of deposits, which would tell how many
 * registered (P4).
 */
export function LotMoneySummary({ money }: { money: Plain<LotMoney> | null }) {
  const { t } = useTranslation();
  if (!money) return null;
  return (
    <section aria-labelledby="money-heading" data-testid="lot-money">
      <h2 id="money-heading">{t("lotMoney.title")}</h2>
      {!money.closed ? (
        <p className="hint">{t("lotMoney.afterClose")}</p>
      ) : (
        <SummaryList
          rows={[
            ["lotMoney.deposits", <Money fen={money.depositsFen} key="d" />],
            ["lotMoney.released", <Money fen={money.releasedFen} key="r" />],
            ["lotMoney.applied", money.appliedFen !== "0" ? <Money fen={money.appliedFen} key="a" /> : null],
            ["lotMoney.forfeited", money.forfeitedFen !== "0" ? <Money fen={money.forfeitedFen} key="f" /> : null],
            ["lotMoney.price", money.priceFen ? <Money fen={money.priceFen} key="p" /> : null],
            ["lotMoney.balancePaid", money.priceFen ? <Money fen={money.balancePaidFen} key="b" /> : null],
            ["lotMoney.distributed", money.priceFen ? <Money fen={money.caseDistributedFen} key="x" /> : null],
          ]}
        />
      )}
    </section>
  );
}

/** A balance's deadline as the rule says it: 24:00 Beijing time of the last day (the instant is 00:00 of the next). */
export function EndOfDay({ iso }: { iso: string }) {
  const { t } = useTranslation();
  return (
    <>
      <DateTime iso={new Date(Date.parse(iso) - 1).toISOString()} dateOnly /> {t("balance.endOfDay")}
    </>
  );
}

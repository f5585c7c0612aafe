import { useTranslation } from "react-i18next";
import { MAX_CAPITAL_FEN, toChineseCapital } from "../../core/money.ts";
import { Money } from "./auction.tsx";

/** "人民币壹万元整" for an amount in fen; null where 大写 has nothing to say (not positive, or beyond 万亿). */
export function amountInWords(fen: string | null): string | null {
  if (fen === null || !/^\d+$/.test(fen)) return null;
  const v = BigInt(fen);
  return v > 0n && v <= MAX_CAPITAL_FEN ? `人民币${toChineseCapital(v)}` : null;
}

/**
 * An amount about to be paid or bid, in figures and in 大写 as on a cheque: a slipped digit or a missing
 * zero shows in the words before the money moves.
 */
export function AmountToConfirm({ label, fen, testId }: { label: string; fen: string; testId?: string }) {
  const { t } = useTranslation();
  const words = amountInWords(fen);
  return (
    <dl className="summary-list confirm-amount" data-testid={testId}>
      <div className="summary-list__row">
        <dt>{t(label)}</dt>
        <dd>
          <Money fen={fen} className="money--strong" />
        </dd>
      </div>
      {words && (
        <div className="summary-list__row">
          <dt>{t("confirm.inWords")}</dt>
          <dd lang="zh-CN" data-testid={testId ? `${testId}-words` : undefined}>
            {words}
          </dd>
        </div>
      )}
    </dl>
  );
}

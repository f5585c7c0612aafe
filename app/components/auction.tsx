import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatDate, formatDateTime, formatDue, formatFenText, remainingTime } from "../lib/format.ts";
import { DataTable } from "./data-table.tsx";

/** An amount of integer fen (a decimal string from a loader) as ¥ with separators. */
export function Money({ fen, className }: { fen: string | null | undefined; className?: string }) {
  if (fen === null || fen === undefined) return <>—</>;
  return <span className={className ? `money ${className}` : "money"}>{formatFenText(fen)}</span>;
}

/** An instant in Asia/Shanghai, with the machine-readable value for assistive technology. */
export function DateTime({ iso, dateOnly, seconds }: { iso: string | null | undefined; dateOnly?: boolean; seconds?: boolean }) {
  const { i18n } = useTranslation();
  if (!iso) return <>—</>;
  return <time dateTime={iso}>{dateOnly ? formatDate(iso, i18n.language) : formatDateTime(iso, i18n.language, { seconds })}</time>;
}

/** A deadline, written the same way everywhere (see formatDue: a period's end is "29 Nov 24:00"). */
export function Due({ iso }: { iso: string | null | undefined }) {
  const { i18n } = useTranslation();
  if (!iso) return <>—</>;
  return <time dateTime={iso}>{formatDue(iso, i18n.language)}</time>;
}

/** G2, G3: how a hold is announced: the platform's suspension for a fault, or the court's suspension or stay. */
export function holdHeadline(by: string | undefined, phase: string): string {
  if (by === "platform") return "lot.hold.byPlatform";
  return phase === "stayed" ? "lot.hold.stayed" : "lot.hold.suspended";
}

export function PhaseTag({ phase }: { phase: string }) {
  const { t } = useTranslation();
  return (
    <strong className={`tag tag--${phase}`} data-phase={phase}>
      {t(`phase.${phase}`)}
    </strong>
  );
}

/** "2 days 3 hours 5 minutes" from `from` to `to`, computed once on the server's time (no live clock). */
export function Remaining({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation();
  const left = remainingTime(from, to);
  if (!left) return null;
  const parts: string[] = [];
  if (left.days > 0) parts.push(`${left.days} ${t(left.days === 1 ? "time.day" : "time.days")}`);
  if (left.days > 0 || left.hours > 0) parts.push(`${left.hours} ${t(left.hours === 1 ? "time.hour" : "time.hours")}`);
  parts.push(`${left.minutes} ${t(left.minutes === 1 ? "time.minute" : "time.minutes")}`);
  return <>{parts.join(" ")}</>;
}

/** A GOV.UK summary list: each row a label key and its value; rows without a value are left out. */
export function SummaryList({ rows, testId }: { rows: [string, ReactNode][]; testId?: string }) {
  const { t } = useTranslation();
  return (
    <dl className="summary-list" data-testid={testId}>
      {rows
        .filter(([, value]) => value !== null && value !== undefined && value !== "")
        .map(([key, value]) => (
          <div className="summary-list__row" key={key}>
            <dt>{t(key)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

/** Multi-line text as people typed it. */
export function Prose({ text }: { text: string }) {
  return <span className="prose">{text}</span>;
}

/** B9: the special warnings every announcement carries, shown prominently. */
export function SpecialWarnings({ warnings }: { warnings: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <section className="warning-panel" aria-labelledby="special-warnings" data-testid="special-warnings">
      <h2 id="special-warnings">
        <span className="warning-icon" aria-hidden="true">
          !
        </span>
        {t("warnings.title")}
      </h2>
      <p>{t("warnings.intro")}</p>
      <ol>
        {warnings.map((w) => (
          <li key={w}>{t(`warnings.${w}`)}</li>
        ))}
      </ol>
    </section>
  );
}

export interface BidRow {
  bidderCode: string;
  amountFen: string;
  placedAt: string;
  seq: number;
  priority: boolean;
}

/** D5: the full bid history by bidder code, newest first; priority bids marked (E1), and the viewer's own. */
export function BidHistory({ bids, ownCode }: { bids: BidRow[]; ownCode?: string | null }) {
  const { t } = useTranslation();
  return (
    <DataTable
      rows={bids}
      rowKey={(b) => b.seq}
      rowData={(b) => ({ "data-bidder-code": b.bidderCode })}
      caption="lot.bids.caption"
      testId="bid-history"
      empty={<p data-testid="bid-history-empty">{t("lot.bids.none")}</p>}
      columns={[
        {
          header: "lot.bids.code",
          cell: (b, i) => (
            <>
              <span className="bidder-code">{b.bidderCode}</span>
              {b.priority && <span className="tag tag--priority">{t("lot.bids.priority")}</span>}
              {i === 0 ? <span className="tag tag--leading">{t("lot.bids.leading")}</span> : <span className="tag tag--outbid">{t("lot.bids.outbid")}</span>}
              {ownCode && b.bidderCode === ownCode && <span className="tag tag--yours">{t("lot.bids.yours")}</span>}
            </>
          ),
        },
        { header: "lot.bids.amount", numeric: true, cell: (b) => <Money fen={b.amountFen} /> },
        { header: "lot.bids.time", cell: (b) => <DateTime iso={b.placedAt} seconds /> },
      ]}
    />
  );
}

/** Priority holders by rank and kind (B8); names and basis only once the read gives them (P16). */
export function PriorityHolders({ holders }: { holders: ({ rank: number; kind: string } & { name?: string; basis?: string })[] }) {
  const { t } = useTranslation();
  if (holders.length === 0) return <>{t("lot.disclosure.noPriorityHolders")}</>;
  return (
    <ul className="compact-list" data-testid="priority-holders">
      {holders.map((h, i) => (
        <li key={i}>
          {t("lot.disclosure.rank")} {h.rank} · {t(`priorityHolderKind.${h.kind}`)}
          {h.name !== undefined && ` · ${h.name} · ${h.basis ?? ""}`}
        </li>
      ))}
    </ul>
  );
}

/** A notice after a successful step ("your bid was accepted"). */
export function SuccessBanner({ children }: { children: ReactNode }) {
  return (
    <div className="notification notification--success" role="status" data-testid="success-banner">
      {children}
    </div>
  );
}

import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { clockTime, fenToYuanInput } from "../lib/format.ts";
import { quickAmounts, splitSeconds, yuanToFen, type BidOutcome, type LiveLotData, type LiveStatus } from "../lib/live-lot.ts";
import { Money } from "./auction.tsx";
import { amountInWords, AmountToConfirm } from "./confirm-amount.tsx";

// The live parts of the lot page. Each renders nothing new until the socket has been started, so the
// server's HTML and the first render in the browser are the same (hydration matches).

const STATUS_TEXT = {
  connecting: "live.status.connecting",
  live: "live.status.live",
  reconnecting: "live.status.reconnecting",
  offline: "live.status.offline",
} as const;

/** Live, reconnecting or offline, and how many are watching. A polite live region, present from the start. */
export function LiveStatusLine({ status, watchers }: { status: LiveStatus; watchers: number | null }) {
  const { t } = useTranslation();
  return (
    <div role="status" aria-live="polite">
      {status !== "idle" && (
        <p className={`live-status live-status--${status}`} data-testid="live-status" data-status={status}>
          <span className="live-status__dot" aria-hidden="true" />
          <span>{t(STATUS_TEXT[status])}</span>
          {status === "live" && watchers !== null && (
            <span className="live-status__watchers" data-testid="watchers">
              <span className="money">{watchers}</span> {t("live.watchers")}
            </span>
          )}
        </p>
      )}
    </div>
  );
}

/** The time left on the server's clock, to the second. */
export function TimeLeft({ closesAt, serverNow }: { closesAt: string; serverNow: number }) {
  const { t } = useTranslation();
  const seconds = Math.ceil((Date.parse(closesAt) - serverNow) / 1000);
  if (seconds <= 0) {
    return (
      <span data-testid="time-left" data-seconds-left={0}>
        {t("live.timeUp")}
      </span>
    );
  }
  const { days, clock } = splitSeconds(seconds);
  return (
    <span className="countdown__clock" role="timer" data-testid="time-left" data-seconds-left={seconds}>
      {days > 0 && `${days} ${t(days === 1 ? "time.day" : "time.days")} `}
      {clock}
    </span>
  );
}

/** D3: a late bid moved the close. The live region is always there; the notice appears in it. */
export function ExtendedNotice({ closesAt }: { closesAt: string | null }) {
  const { t, i18n } = useTranslation();
  return (
    <div role="status" aria-live="polite" aria-atomic="true">
      {closesAt && (
        <p className="live-notice" data-testid="extended-notice">
          <strong>
            {t("live.extendedTo")} <time dateTime={closesAt}>{clockTime(closesAt, i18n.language)}</time>
          </strong>{" "}
          <span className="live-notice__why">{t("live.extendedWhy")}</span>
        </p>
      )}
    </div>
  );
}

/** For screen readers: the new current price, once it changes while the page is open. */
export function PriceAnnouncer({ priceFen }: { priceFen: string | null }) {
  const { t } = useTranslation();
  const first = useRef(priceFen);
  return (
    <div className="visually-hidden" role="status" aria-live="polite">
      {priceFen !== null && priceFen !== first.current && (
        <>
          {t("live.priceNow")} <Money fen={priceFen} />
        </>
      )}
    </div>
  );
}

const MAX_BID_FEN = 10n ** 14n;

/**
 * The bid box while the page is live: the amount (the lowest valid bid until the bidder changes it),
 * quick amounts at 1, 2 and 5 increments, then one confirming click on the amount in figures and in 大写,
 * and the bid sent over the socket. Refusals come back by code.
 */
export function LiveBidBox(props: {
  lot: Pick<LiveLotData, "currentPriceFen" | "startingPriceFen" | "incrementFen">;
  minimumFen: string;
  placeBid: (amountFen: string) => Promise<BidOutcome>;
  onAccepted: (outcome: Extract<BidOutcome, { kind: "accepted" }>) => void;
}) {
  const { t, i18n } = useTranslation();
  const [typed, setTyped] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<ReactNode>(null);
  /** The amount awaiting the bidder's confirming click; it stays fixed while the price moves. */
  const [confirming, setConfirming] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  // Focused when it appears: the keyboard's Enter is the one extra press.
  useEffect(() => {
    if (confirming !== null) confirmButton.current?.focus();
  }, [confirming]);
  // Until the bidder types or picks an amount, it follows the lowest valid bid as the price moves.
  const amount = typed ?? fenToYuanInput(props.minimumFen);
  const fen = yuanToFen(amount);
  const hasPrice = props.lot.currentPriceFen !== null;

  const stepLabel = (steps: number) => {
    const unit = (n: number) => `+${n} ${t(n === 1 ? "live.bidBox.step" : "live.bidBox.steps")}`;
    if (hasPrice) return unit(steps);
    return steps === 1 ? t("live.bidBox.start") : `${t("live.bidBox.start")} ${unit(steps - 1)}`;
  };

  function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    // The platform's range is (0, 10^14) fen; anything else is refused before sending.
    if (fen === null || BigInt(fen) <= 0n || BigInt(fen) >= MAX_BID_FEN) {
      setError(t(fen === null ? "validation.amountYuan" : "validation.amount"));
      input.current?.focus();
      return;
    }
    setError(null);
    setMessage(null);
    setConfirming(fen);
  }

  async function send(amountFen: string) {
    if (sending) return;
    setSending(true);
    const outcome = await props.placeBid(amountFen);
    setSending(false);
    // An unknown outcome keeps the confirmation: confirming again resends the same bid (same clientBidId).
    if (outcome.kind !== "unknown") setConfirming(null);
    if (outcome.kind === "accepted") {
      setTyped(null);
      setMessage(
        <>
          {t("live.bidBox.accepted")} <Money fen={outcome.bid.amountFen} />
        </>,
      );
      props.onAccepted(outcome);
    } else if (outcome.kind === "refused") {
      setError(i18n.exists(`errors.${outcome.code}`) ? t(`errors.${outcome.code}`) : outcome.message);
      input.current?.focus();
    } else {
      setMessage(t("live.bidBox.unknown"));
    }
  }

  const words = amountInWords(fen);
  const describedBy = ["live-amount-hint", error ? "live-amount-error" : null, words ? "live-amount-capital" : null].filter(Boolean).join(" ");
  return (
    <div className="live-bid" data-testid="live-bid-box">
      <form className="bid-form" data-testid="bid-form" data-mode="live" noValidate onSubmit={review}>
        <fieldset className="live-bid__quick">
          <legend>{t("live.bidBox.quick")}</legend>
          <p className="hint">{t("live.bidBox.quickHint")}</p>
          <div className="live-bid__options">
            {quickAmounts(props.lot).map((o) => (
              <button
                key={o.steps}
                type="button"
                className="live-bid__option"
                aria-pressed={fen === o.fen}
                data-testid={`quick-${o.steps}`}
                onClick={() => {
                  setTyped(fenToYuanInput(o.fen));
                  setError(null);
                  setConfirming(null);
                }}
              >
                <span className="live-bid__step">{stepLabel(o.steps)}</span>
                <Money fen={o.fen} />
              </button>
            ))}
          </div>
        </fieldset>
        <div className={error ? "field field--error" : "field"}>
          <label htmlFor="live-amount">{t("bid.amount")}</label>
          <p id="live-amount-hint" className="hint">
            {t("bid.hint.minimum")} <Money fen={props.minimumFen} />
            <br />
            {t("bid.hint.increment")} <Money fen={props.lot.incrementFen} />
          </p>
          {error && (
            <p id="live-amount-error" className="field-error" role="alert" data-testid="live-bid-error">
              {error}
            </p>
          )}
          <div className="input-wrapper">
            <span className="input-prefix" aria-hidden="true">
              ¥
            </span>
            <input
              ref={input}
              id="live-amount"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              spellCheck={false}
              maxLength={24}
              className="input--medium"
              value={amount}
              onChange={(e) => {
                setTyped(e.target.value);
                setConfirming(null);
              }}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy}
            />
          </div>
          {words && (
            <p id="live-amount-capital" className="hint live-bid__capital">
              {t("live.bidBox.capital")}
              {words}
            </p>
          )}
        </div>
        {confirming === null && (
          <button type="submit" className="button button--bid" disabled={sending}>
            {t("bid.next")}
          </button>
        )}
        {confirming !== null && (
          <div className="confirm-step" data-testid="bid-confirmation">
            <p>
              <strong>{t("bid.confirm.title")}</strong> {t("bid.confirm.lead")}
            </p>
            <AmountToConfirm label="bid.confirm.amount" fen={confirming} testId="bid-amount" />
            <p className="actions-row">
              <button type="button" className="button button--bid" disabled={sending} ref={confirmButton} onClick={() => void send(confirming)}>
                {t("bid.submit")}
              </button>
              <button type="button" className="button button--secondary" disabled={sending} onClick={() => {
                  setConfirming(null);
                  input.current?.focus();
                }}
              >
                {t("bid.confirm.cancel")}
              </button>
            </p>
          </div>
        )}
        <div role="status" aria-live="polite" data-testid="live-bid-message">
          {sending ? <p className="hint">{t("live.bidBox.sending")}</p> : message && <p className="live-bid__message">{message}</p>}
        </div>
      </form>
    </div>
  );
}

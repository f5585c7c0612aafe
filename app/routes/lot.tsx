import { useTranslation } from "react-i18next";
import { data, Link, useNavigate } from "react-router";
import type { Route } from "./+types/lot";
import { getPublicLot, isFollowing, publicViewings } from "../../auction/index.ts";
import { can } from "../../identity/index.ts";
import { FollowButton } from "../components/follow-button.tsx";
import { lotMoney } from "../../escrow/index.ts";
import { LotMoneySummary } from "../components/lot-money.tsx";
import { LotFiles } from "../components/lot-files.tsx";
import { LotViewings } from "../components/lot-viewings.tsx";
import { LotDisclosures } from "../components/lot-disclosures.tsx";
import { LotPlace } from "../components/lot-place.tsx";
import { PriceComparison, ReferenceBasis } from "../components/lot-prices.tsx";
import { LotDocumentLinks, LotShare } from "../components/lot-share.tsx";
import { BidHistory, DateTime, holdHeadline, Money, PhaseTag, Remaining, SpecialWarnings, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { BidForm } from "../components/bid-form.tsx";
import { ExtendedNotice, LiveBidBox, LiveStatusLine, PriceAnnouncer, TimeLeft } from "../components/live-lot.tsx";
import { currentUser, languageOf, services } from "../lib/http.server.ts";
import { lotPageExtras } from "../lib/lot-page.server.ts";
import { pageId } from "../lib/forms.server.ts";
import { bidderState, lotView, type BidderState, type LotView } from "../lib/lot-view.server.ts";
import { fenToYuanInput, toPlain } from "../lib/format.ts";
import { minimumBidFen, useLiveLot, type LiveLot } from "../lib/live-lot.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("titles.lot", (d) => d.lot.title);

// Open Graph: the card WeChat's in-app browser (and other apps) show for a shared link. The <title> is the root's.
export const meta: Route.MetaFunction = ({ loaderData }) => {
  const share = loaderData?.share;
  if (!share) return [];
  return [
    { property: "og:type", content: "website" },
    { property: "og:site_name", content: "人民法院司法拍卖与评估平台" },
    { property: "og:title", content: share.title },
    { property: "og:description", content: share.description },
    { property: "og:url", content: share.url },
    ...(share.image ? [{ property: "og:image", content: share.image }] : []),
    { name: "description", content: share.description },
  ];
};

const NOTICES = { "bid=accepted": "lot.notice.bidAccepted", "applied=1": "lot.notice.applied", "deposit=paid": "lot.notice.depositPaid", "deposit=pending": "lot.notice.depositPending" } as const;

/** Public: the lot's announcement, disclosures (B8), warnings (B9), price and bid history by code (D5). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const lotId = pageId(params.lotId);
  const { db, clock, paymentGateway } = services(context);
  const lot = await getPublicLot(db, clock, lotId);
  if (!lot) throw data({ code: "NOT_FOUND" }, { status: 404 });
  const user = currentUser(context);
  const search = new URL(request.url).searchParams;
  const notice = Object.entries(NOTICES).find(([q]) => {
    const [k, v] = q.split("=");
    return search.get(k!) === v;
  })?.[1];
  // 设置提醒: only the follower ever learns that they follow (P4). Anyone may press it; a visitor signs in first.
  const mayFollow = isOpenPhase(lot.phase) && (!user || can(user, "lots.follow"));
  const [bidder, money, following, viewings, extras] = await Promise.all([
    bidderState(db, user, lot),
    lotMoney(db, lotId),
    mayFollow ? isFollowing(db, user, lotId) : false,
    publicViewings(db, clock, user, lotId),
    // Its place by name, the basis of its reference price (B8), and its share link and QR code.
    lotPageExtras(db, request, languageOf(request), lot),
  ]);
  return {
    lot: lotView(lot),
    bidder,
    signedIn: user !== null,
    simulatedPayment: paymentGateway.simulated,
    notice: notice ?? null,
    money: toPlain(money),
    follow: mayFollow ? { following } : null,
    // 预约看样: free places only, and the viewer's own booking (P4).
    viewings: toPlain(viewings),
    ...extras,
  };
}

export default function Lot({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { lot, bidder, signedIn, simulatedPayment, notice, money, follow, viewings, place, basis, share } = loaderData;
  // Live from the socket once hydrated; until then (and without JavaScript) exactly the loader's lot.
  const live = useLiveLot(lot.id, lot, ["bidding", "ended", "suspended", "stayed"].includes(lot.phase));
  const now = live.data;
  // The bidder's own standing, live: "accepted" belongs to the moment of the bid, not to a bid since topped.
  const outbid = isOutbid(now.bids, bidder?.registration?.bidderCode ?? null);
  const latest = lot.announcements[0];
  const priceLabel = now.phase === "sold" ? "lot.price.final" : now.currentPriceFen ? "lot.price.current" : "lot.price.starting";
  return (
    <div className="lot-page">
      <p className="breadcrumbs">
        <Link to="/lots">{t("lots.title")}</Link>
      </p>
      <p className="caption">
        {lot.courtName} · {lot.caseNumber}
      </p>
      <h1>{lot.title}</h1>
      <p>
        <PhaseTag phase={now.phase} /> <span className="tag tag--round" data-testid="round">{t(`round.${lot.round}`)}</span> <span className="secondary">{t(`category.${lot.asset.category}`)}</span>
      </p>
      <HoldNotice lot={lot} phase={now.phase} />
      {(now.phase === "withdrawn" || now.phase === "revoked") && <EndedByCourtNotice lot={lot} kind={now.phase === "withdrawn" ? "withdraw" : "revoke"} />}
      {now.phase === "defaulted" && <p className="inset-text" data-testid="defaulted-notice">{t("lot.round.defaulted")}</p>}
      {lot.round === "sale_off" && isOpenPhase(now.phase) && <p className="inset-text" data-testid="sale-off-rules">{t("lot.round.saleOffRules")}</p>}
      <Rounds lot={lot} />
      {follow && <FollowButton lotId={lot.id} following={follow.following} />}
      {/* "Your bid was accepted" stays until the result is known (a page left open sees the close live). */}
      {notice && !(notice === "lot.notice.bidAccepted" && (now.phase === "sold" || now.phase === "failed" || outbid)) && <SuccessBanner>{t(notice)}</SuccessBanner>}

      <div className="lot-top">
        <section className="price-panel" aria-labelledby="price-heading" data-testid="price-panel">
          <LiveStatusLine status={live.status} watchers={live.watchers} />
          <h2 id="price-heading" className="price-panel__label">
            {t(priceLabel)}
          </h2>
          <p className="price-panel__price" data-testid="price">
            <Money fen={now.currentPriceFen ?? now.startingPriceFen} />
          </p>
          <PriceAnnouncer priceFen={now.currentPriceFen} />
          <p className="price-panel__count">
            {t("lot.bids.count")} {now.bidCount}
          </p>
          <PriceComparison startingFen={lot.startingPriceFen} referenceFen={lot.reference.amountFen} method={lot.reference.method} />
          <Countdown lot={lot} live={live} />
          <ExtendedNotice closesAt={now.phase === "bidding" ? live.extendedTo : null} />
        </section>
        <BidderPanel lot={lot} live={live} bidder={bidder} signedIn={signedIn} simulatedPayment={simulatedPayment} />
      </div>

      {lot.phase === "sold" && lot.buyer && (
        <section className="result-panel" aria-labelledby="result-heading" data-testid="result">
          <h2 id="result-heading">{t("lot.result.title")}</h2>
          <SummaryList
            rows={[
              ["lot.result.buyer", lot.buyer.name],
              ["lot.result.identity", lot.buyer.identityMasked],
              ["lot.result.code", <span className="bidder-code" key="c">{lot.buyer.bidderCode}</span>],
              ["lot.result.price", <Money fen={lot.buyer.priceFen} key="p" />],
              ["lot.result.closedAt", <DateTime iso={lot.buyer.closedAt} key="d" />],
            ]}
          />
          <p>
            <a href={`/lots/${lot.id}/confirmation.pdf`} className="button button--secondary" data-testid="confirmation-link">
              {t("lot.result.confirmation")}
            </a>
          </p>
        </section>
      )}
      {lot.phase === "failed" && (
        <div className="inset-text" data-testid="result">
          {t("lot.result.failed")}
        </div>
      )}

      <InterventionHistory interventions={lot.interventions} />

      <LotMoneySummary money={money} />

      {/* B9: what to know before taking part; once bidding is over for good they no longer apply. */}
      {(isOpenPhase(now.phase) || isHeld(now.phase)) && <SpecialWarnings warnings={latest?.content.warnings ?? []} />}

      <section aria-labelledby="bids-heading">
        <h2 id="bids-heading">{t("lot.bids.title")}</h2>
        <p className="hint">{t("lot.bids.lead")}</p>
        <BidHistory bids={now.bids} ownCode={bidder?.registration?.bidderCode} />
      </section>

      <section aria-labelledby="rules-heading">
        <h2 id="rules-heading">{t("lot.rules.title")}</h2>
        <SummaryList
          rows={[
            ["lot.rules.startingPrice", <Money fen={lot.startingPriceFen} key="s" />],
            ["lot.rules.increment", <Money fen={lot.incrementFen} key="i" />],
            ["lot.rules.deposit", <Money fen={lot.depositFen} key="d" />],
            ["lot.rules.biddingStartsAt", <DateTime iso={lot.biddingStartsAt} key="b" />],
            ["lot.rules.biddingEndsAt", <DateTime iso={lot.biddingEndsAt} key="e" />],
            ["lot.rules.closesAt", now.closesAt !== lot.biddingEndsAt ? <DateTime iso={now.closesAt} key="c" seconds={hasSeconds(now.closesAt)} /> : null],
            ["lot.rules.extension", t("lot.rules.extensionText")],
            ["lot.rules.balanceDue", `${lot.balanceDueDays} ${t("time.days")}`],
            ["lot.rules.housing", latest?.content.housingEligibilityRequired ? t("lot.rules.housingText") : null],
          ]}
        />
      </section>

      <LotDocumentLinks lotId={lot.id} />

      <section aria-labelledby="disclosure-heading">
        <h2 id="disclosure-heading">{t("lot.disclosure.title")}</h2>
        <LotDisclosures lot={lot} />
      </section>

      <ReferenceBasis lotId={lot.id} reference={lot.reference} basis={basis} />

      <LotPlace place={place} title={lot.title} />

      <section aria-labelledby="files-heading">
        <h2 id="files-heading">{t("files.title")}</h2>
        <LotFiles lotId={lot.id} files={lot.files} />
      </section>

      {viewings && (isOpenPhase(now.phase) || viewings.slots.length > 0) && (
        <section aria-labelledby="viewings-heading" id="viewings">
          <h2 id="viewings-heading">{t("viewings.title")}</h2>
          <LotViewings lotId={lot.id} viewings={viewings} signedIn={signedIn} />
        </section>
      )}

      <section aria-labelledby="announcement-heading">
        <h2 id="announcement-heading">{t("lot.announcement.title")}</h2>
        {latest && (
          <p>
            {t("lot.announcement.version")} {latest.version} · {t("lot.announcement.publishedAt")} <DateTime iso={latest.version === 1 ? lot.announceAt : latest.createdAt} />
          </p>
        )}
        {lot.announcements.length > 1 ? (
          <>
            <h3>{t("lot.announcement.history")}</h3>
            <ol className="revision-list" reversed data-testid="announcement-history">
              {lot.announcements.map((a) => (
                <li key={a.version}>
                  <strong>
                    {t("lot.announcement.version")} {a.version}
                  </strong>{" "}
                  · <DateTime iso={a.version === 1 ? lot.announceAt : a.createdAt} />
                  {a.reason ? (
                    <>
                      {" "}
                      · {t("lot.announcement.reason")} {a.reason}
                    </>
                  ) : (
                    <> · {t("lot.announcement.original")}</>
                  )}
                </li>
              ))}
            </ol>
          </>
        ) : (
          <p className="hint">{t("lot.announcement.noRevisions")}</p>
        )}
      </section>
      {now.phase === "ended" && <p className="hint">{t("lot.endedNote")}</p>}

      <LotShare url={share.url} qrSvg={share.qrSvg} />
    </div>
  );
}

/** An extended close falls on any second (a bid's time + 5 minutes): show the seconds then. */
const hasSeconds = (iso: string) => new Date(iso).getUTCSeconds() !== 0;

/**
 * The end (or start) of bidding and the time left: as of the server's clock when the page was made,
 * then (once live) ticking every second on the server's clock.
 */
function Countdown({ lot, live }: { lot: LotView; live: LiveLot }) {
  const { t } = useTranslation();
  const { phase, closesAt } = live.data;
  if (phase === "announced" || phase === "draft") {
    return (
      <p className="countdown" data-testid="countdown">
        {t("lot.time.startsAt")} <DateTime iso={lot.biddingStartsAt} />
        <br />
        <span className="countdown__left">
          {t("lot.time.startsIn")} <Remaining from={lot.serverTime} to={lot.biddingStartsAt} />
        </span>
      </p>
    );
  }
  if (phase === "withdrawn") return null;
  if (isHeld(phase)) {
    // P15: the countdown stands still at what was left when the court held the lot.
    return (
      <p className="countdown" data-testid="countdown" data-held="true">
        <strong>{t("lot.hold.countdownStopped")}</strong>
        {lot.heldAt && lot.phase === phase && (
          <>
            <br />
            {t("lot.hold.timeLeftAtHold")} <Remaining from={lot.heldAt} to={lot.closesAt} />
          </>
        )}
      </p>
    );
  }
  if (phase === "bidding") {
    return (
      <p className="countdown" data-testid="countdown">
        {t("lot.time.closesAt")} <DateTime iso={closesAt} seconds={hasSeconds(closesAt)} />
        <br />
        <strong className="countdown__left">
          {t("lot.time.left")} {live.serverNow === null ? <Remaining from={lot.serverTime} to={closesAt} /> : <TimeLeft closesAt={closesAt} serverNow={live.serverNow} />}
        </strong>
        <br />
        {live.serverNow === null ? (
          <span className="hint">
            {t("lot.time.asOf")} <DateTime iso={lot.serverTime} />
          </span>
        ) : (
          <span className="hint">{t("live.serverClock")}</span>
        )}
      </p>
    );
  }
  return (
    <p className="countdown" data-testid="countdown">
      {t("lot.time.endedAt")} <DateTime iso={lot.closedAt ?? closesAt} seconds={hasSeconds(lot.closedAt ?? closesAt)} />
    </p>
  );
}

function BidderPanel({ lot, live, bidder, signedIn, simulatedPayment }: { lot: LotView; live: LiveLot; bidder: BidderState | null; signedIn: boolean; simulatedPayment: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const phase = live.data.phase;
  const open = phase === "announced" || phase === "bidding";
  if (!bidder) {
    if (!open) return null;
    return (
      <section className="action-panel" aria-labelledby="take-part">
        <h2 id="take-part">{t("lot.takePart.title")}</h2>
        {signedIn ? (
          <p>{t("lot.takePart.biddersOnly")}</p>
        ) : (
          <>
            <p>{t("lot.takePart.signIn")}</p>
            <p className="actions-row">
              <Link to={`/sign-in?next=${encodeURIComponent(`/lots/${lot.id}`)}`} className="button">
                {t("nav.signIn")}
              </Link>
              <Link to="/register" className="button button--secondary">
                {t("nav.register")}
              </Link>
            </p>
          </>
        )}
      </section>
    );
  }
  const reg = bidder.registration;
  const leading = reg?.bidderCode != null && live.data.bids[0]?.bidderCode === reg.bidderCode;
  const nextFen = minimumBidFen(live.data);
  return (
    <section className="action-panel" aria-labelledby="your-registration" data-testid="bidder-panel" data-registration={reg?.status ?? "none"}>
      <h2 id="your-registration">{t("lot.yours.title")}</h2>
      {!reg &&
        (open ? (
          <>
            <p>{t("lot.yours.notRegistered")}</p>
            <p>
              <Link to={`/lots/${lot.id}/apply`} className="button" data-testid="apply-link">
                {t("lot.yours.apply")}
              </Link>
            </p>
          </>
        ) : (
          <p>{t("lot.yours.registrationClosed")}</p>
        ))}
      {reg?.status === "awaiting_deposit" && (
        <>
          <p>{t("lot.yours.awaitingDeposit")}</p>
          <p className="deposit-due">
            {t("deposit.due")} <Money fen={reg.depositDueFen} className="money--strong" />
          </p>
          {simulatedPayment && <p className="demo-notice">{t("deposit.simulatedNotice")}</p>}
          {/* The deposit page is the confirmation step: the amount in figures and in 大写, then the payment. */}
          <p>
            <Link to={`/lots/${lot.id}/deposit`} className="button" data-testid="pay-deposit">
              {t("deposit.pay")}
            </Link>
          </p>
        </>
      )}
      {reg?.status === "awaiting_court" && <p>{t("lot.yours.awaitingCourt")}</p>}
      {reg?.status === "refused" && <p>{t("lot.yours.refused")}</p>}
      {reg?.status === "active" && (
        <>
          <p className="your-code">
            {t("lot.yours.code")} <strong className="bidder-code" data-testid="your-code">{reg.bidderCode}</strong>
            {reg.priorityRank !== null && (
              <span className="tag tag--priority">
                {t("lot.yours.priorityRank")} {reg.priorityRank}
              </span>
            )}
          </p>
          {phase === "bidding" && leading && (
            <p className="inset-text" data-testid="you-lead">
              {t("lot.yours.leading")}
            </p>
          )}
          {phase === "bidding" && isOutbid(live.data.bids, reg.bidderCode) && (
            <p className="warning-panel" role="status" data-testid="you-are-outbid">
              <strong>{t("lot.yours.outbid")}</strong> {t("lot.yours.outbidNext")} <Money fen={nextFen} />
            </p>
          )}
          {phase === "bidding" && !leading && live.status === "live" && (
            // Live: bids go over the socket; an accepted one reloads the page data, as the form's redirect does.
            <LiveBidBox
              lot={live.data}
              minimumFen={nextFen}
              placeBid={live.placeBid}
              onAccepted={() => void navigate(`/lots/${lot.id}?bid=accepted`, { replace: true, preventScrollReset: true })}
            />
          )}
          {phase === "bidding" && !leading && live.status !== "live" && (
            <>
              {(live.status === "reconnecting" || live.status === "offline") && (
                <p className="hint" data-testid="bid-fallback">
                  {t("live.bidBox.fallback")}
                </p>
              )}
              {/* Without the socket (and without JavaScript) the HTML form. Keyed by its clientBidId and the
                  amount: after a bid, or a price seen live, it starts again from the next valid amount. */}
              <BidForm key={`${bidder.clientBidId}-${nextFen}`} lotId={lot.id} clientBidId={bidder.clientBidId} amountYuan={fenToYuanInput(nextFen)} minimumFen={nextFen} incrementFen={lot.incrementFen} />
            </>
          )}
          {isHeld(phase) && <p data-testid="held-no-bids">{t("lot.hold.noBids")}</p>}
          {phase === "announced" && <p>{t("lot.yours.waitForStart")}</p>}
          {phase === "sold" && lot.buyer?.bidderCode === reg.bidderCode && <p className="inset-text">{t("lot.yours.won")}</p>}
          {isEnded(phase) && lot.buyer?.bidderCode !== reg.bidderCode && <p>{t("lot.yours.ended")}</p>}
        </>
      )}
      <p className="hint">
        <Link to="/my/registrations">{t("nav.myRegistrations")}</Link>
      </p>
    </section>
  );
}

/** The bidder has bid, and someone else's bid now leads. */
const isOutbid = (bids: readonly { bidderCode: string }[], code: string | null) => code !== null && bids.length > 0 && bids[0]!.bidderCode !== code && bids.some((b) => b.bidderCode === code);

const isEnded = (phase: string) => phase === "ended" || phase === "sold" || phase === "failed";
const isHeld = (phase: string) => phase === "suspended" || phase === "stayed";

/**
 * G3, P15: a held lot says so at once (the live phase), with the court's reason once the page data has it. The
 * platform's own suspension (G2) says that the court has been told.
 */
function HoldNotice({ lot, phase }: { lot: LotView; phase: string }) {
  const { t } = useTranslation();
  if (!isHeld(phase)) return null;
  // The live phase comes first; the reason once the page data has caught up with it.
  const hold = lot.phase === phase ? lot.currentHold : null;
  return (
    <div className="warning-panel" role="alert" data-testid="hold-notice">
      <p>
        <strong>{t(holdHeadline(hold?.by, phase))}</strong>
      </p>
      {hold && (
        <p>
          {t("lot.hold.reason")} {hold.reason}
        </p>
      )}
      <p>{t("lot.hold.meaning")}</p>
    </div>
  );
}

/** G5: a lot withdrawn before its start says so, with the ground and the court's explanation. */
const isOpenPhase = (phase: string) => phase === "announced" || phase === "bidding";

/** The ground of a withdrawal (G5) or a revocation (G7), in words. */
function groundText(t: (key: string) => string, i: { kind: string; ground: string | null }): string {
  return i.kind === "revoke" ? `${t("lot.hold.revokeGround")} ${t(`revocationGround.${i.ground}`)}` : `${t("lot.hold.ground")} ${t(`withdrawalGround.${i.ground}`)}`;
}

/** G5, G7: the court ended this lot (withdrawn before its start, or its sale revoked), with the ground and reason. */
function EndedByCourtNotice({ lot, kind }: { lot: LotView; kind: "withdraw" | "revoke" }) {
  const { t } = useTranslation();
  const act = lot.interventions.findLast((i) => i.kind === kind);
  return (
    <div className="warning-panel" data-testid={kind === "withdraw" ? "withdrawn-notice" : "revoked-notice"}>
      <p>
        <strong>{t(kind === "withdraw" ? "lot.hold.withdrawn" : "lot.hold.revoked")}</strong>
      </p>
      {act?.ground && (
        <p>
          {groundText(t, act)}
          {act.reason ? ` · ${act.reason}` : ""}
        </p>
      )}
    </div>
  );
}

/** F6, F8: the asset's rounds (一拍, 二拍, 变卖), each linked, this one marked. */
function Rounds({ lot }: { lot: LotView }) {
  const { t } = useTranslation();
  if (lot.rounds.length < 2) return null;
  return (
    <nav aria-label={t("lot.round.others")} className="rounds" data-testid="rounds">
      {t("lot.round.others")}{" "}
      {lot.rounds.map((r, i) => (
        <span key={r.id}>
          {i > 0 && " → "}
          {r.id === lot.id ? (
            <strong aria-current="page">{t(`round.${r.round}`)}</strong>
          ) : (
            <Link to={`/lots/${r.id}`}>
              {t(`round.${r.round}`)} ({t(`phase.${r.status === "published" ? "announced" : r.status}`)})
            </Link>
          )}
        </span>
      ))}
    </nav>
  );
}

/** G3: every hold, resumption and release of a lot, with its reason and time, in order. */
function InterventionHistory({ interventions }: { interventions: LotView["interventions"] }) {
  const { t } = useTranslation();
  if (interventions.length === 0) return null;
  return (
    <section aria-labelledby="interventions-heading">
      <h2 id="interventions-heading">{t("lot.hold.history")}</h2>
      <ol className="revision-list" data-testid="intervention-history">
        {interventions.map((i) => (
          <li key={`${i.kind}-${i.at}`}>
            <DateTime iso={i.at} /> · {t(`lot.hold.kind.${i.kind}`)}
            {i.by === "platform" ? ` · ${t("lot.hold.byPlatformShort")}` : ""}
            {i.ground ? ` · ${groundText(t, i)}` : ""}
            {i.reason ? ` · ${t("lot.hold.reason")} ${i.reason}` : ""}
            {i.closesAt && (
              <>
                {" "}
                · {t("lot.hold.newClose")} <DateTime iso={i.closesAt} seconds={hasSeconds(i.closesAt)} />
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

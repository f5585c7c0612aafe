import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/court.lot";
import {
  addLotFile,
  addPriorityHolder,
  checkUpload,
  courtLotPlace,
  getPublicLot,
  HOLD_KEEPS_DEPOSITS_MS,
  holdLot,
  holdSchema,
  lotFileSchema,
  MAX_UPLOAD_BYTES,
  priorityHolderSchema,
  PRIORITY_HOLDER_KINDS,
  publishLot,
  resumeLot,
  resumeSchema,
  WITHDRAWAL_GROUNDS,
  REVOCATION_GROUNDS,
  revokeSchema,
  withdrawLot,
  withdrawSchema,
  relistLot,
  reviseAnnouncement,
  revisionSchema,
  reviseLotDraft,
  lotDraftRevisionRuleRefusal,
  draftRevisionSchema,
  failedRoundOf,
  reauctionFloorFen,
  handOver,
  handoverSchema,
  rulingSchema,
  saleRuling,
  serveRuling,
  assetTakeover,
  getCourtCase,
  recordCreditorTakeover,
  takeoverSchema,
  discardLotDraft,
  discardDraftSchema,
} from "../../auction/index.ts";
import { CreditorTakeover } from "../components/creditor-takeover.tsx";
import { SaleRuling } from "../components/sale-ruling.tsx";
import { toPlain } from "../lib/format.ts";
import { CN_SPC_2016, needsHousingEligibility } from "../../core/ruleset.ts";
import { LotDraftForm, type RoundBasis } from "../components/lot-draft-form.tsx";
import { can } from "../../identity/index.ts";
import { revokeSale, settleLotDeposits } from "../../escrow/index.ts";
import { BidHistory, DateTime, holdHeadline, Money, PhaseTag, PriorityHolders, Prose, Remaining, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { failureFor, FileInput, FoldedForm, Input, ProblemSummary, Radios, Select, TextArea, type FormFailureData } from "../components/form-fields.tsx";
import { LotFiles } from "../components/lot-files.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, parseForm, refusal, readForm, withRuleErrors } from "../lib/forms.server.ts";
import { lotView } from "../lib/lot-view.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("titles.lot", (d) => d.lot.title);

const NOTICES = {
  published: "courtLot.notice.published",
  holder: "courtLot.notice.holderAdded",
  revised: "courtLot.notice.revised",
  file: "courtLot.notice.fileAdded",
  held: "courtLot.notice.held",
  withdrawn: "courtLot.notice.withdrawn",
  resumed: "courtLot.notice.resumed",
  draft: "courtLot.notice.draftRevised",
  revoked: "courtLot.notice.revoked",
  ruling: "courtLot.notice.rulingServed",
  handover: "courtLot.notice.handedOver",
  relisted: "courtLot.notice.relisted",
  takeover: "courtLot.notice.takeover",
} as const;

/**
 * Court staff: a lot of their court — the draft with its priority holders, publication (judges,
 * B11), revisions of the announcement, and a monitor showing only what the public sees (P4).
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const lotId = pageId(params.lotId);
  const { db, clock } = services(context);
  let place;
  try {
    place = await courtLotPlace(db, user, lotId);
  } catch (error) {
    throw asPageError(error);
  }
  const lot = await getPublicLot(db, clock, lotId, { includeDraft: true });
  if (!lot) throw data({ code: "NOT_FOUND" }, { status: 404 });
  const done = new URL(request.url).searchParams.get("done");
  return {
    basis: lot.status === "draft" ? await roundBasis(db, lot) : null,
    ruling: lot.status === "sold" ? toPlain(await saleRuling(db, lotId)) : null,
    housing: needsHousingEligibility(lot.asset.category),
    // F7: a failed lot's asset may go to an applicant creditor instead.
    takeover: lot.status === "failed" ? toPlain(await assetTakeover(db, place.assetId)) : null,
    applicants: lot.status === "failed" ? toPlain((await getCourtCase(db, user, place.caseId)).parties.filter((p) => p.role === "applicant")) : [],
    lot: lotView(lot),
    place,
    canPublish: can(user, "lots.publish"),
    canHold: can(user, "lots.hold"),
    holderKinds: [...PRIORITY_HOLDER_KINDS],
    withdrawalGrounds: [...WITHDRAWAL_GROUNDS],
    revocationGrounds: [...REVOCATION_GROUNDS],
    // P2: when a hold that is still on releases the deposits.
    depositsReleaseAt: lot.heldAt ? new Date(lot.heldAt.getTime() + HOLD_KEEPS_DEPOSITS_MS).toISOString() : null,
    notice: done && done in NOTICES ? NOTICES[done as keyof typeof NOTICES] : null,
  };
}

/** F6, F9: what a drafted second auction or sale-off is measured against, shown beside its fields. */
async function roundBasis(db: Parameters<typeof failedRoundOf>[0], lot: Parameters<typeof failedRoundOf>[1]): Promise<RoundBasis | null> {
  const { round } = lot;
  const failed = round === "first" ? null : await failedRoundOf(db, lot);
  if (!failed || round === "first") return null;
  const within = round === "second" ? CN_SPC_2016.reauctionWithinMs : CN_SPC_2016.saleOffAnnounceWithinMs;
  return {
    round,
    failedStartFen: failed.startingPriceFen.toString(),
    floorFen: (round === "second" ? reauctionFloorFen(CN_SPC_2016, failed.startingPriceFen) : failed.startingPriceFen).toString(),
    deadline: failed.failedAt ? new Date(failed.failedAt.getTime() + within).toISOString() : null,
  };
}

const DRAFT_FIELDS = ["startingPriceFen", "depositFen", "incrementFen", "biddingStartsAt", "biddingEndsAt", "balanceDueDays", "partiesNotifiedAt"] as const;
const HOLDER_FIELDS = ["name", "identityNumber", "rank", "kind", "basis"] as const;
const REVISION_FIELDS = ["depositAccount", "transferTaxes", "courtContact", "reason"] as const;
const FILE_FIELDS = ["kind", "title", "file"] as const;
const HOLD_FIELDS = ["kind", "reason"] as const;
const FORMS = { holder: HOLDER_FIELDS, revise: REVISION_FIELDS, file: FILE_FIELDS, hold: HOLD_FIELDS, resume: ["reason"], withdraw: ["ground", "reason"], revoke: ["ground", "reason"], ruling: ["documentNumber", "buyerEligible"], handover: ["note"], relist: ["reason"], discard: ["reason"], takeover: ["partyId", "creditorEligible"], draft: DRAFT_FIELDS, publish: [] } as const;
type FormName = keyof typeof FORMS;

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const lotId = pageId(params.lotId);
  const { db, clock, scheduler, publisher } = services(context);
  // Refuse an oversized upload before reading it into memory.
  if (Number(request.headers.get("content-length") ?? 0) > MAX_UPLOAD_BYTES) {
    return formFailure("file", {}, { file: "file.error.tooLarge.document" }, [], 413);
  }
  const form = await readForm(request);
  const values = formValues(form);
  const back = (done: keyof typeof NOTICES) => redirect(`/court/lots/${lotId}?done=${done}`);
  try {
    if (values.intent === "file") {
      const parsed = parseForm(lotFileSchema, values);
      // Every error in one round: the title's and the kind's, and the file's (none chosen, or refused for the kind).
      const upload = form.get("file");
      const file = upload instanceof File && upload.name !== "" ? { name: upload.name, type: upload.type, bytes: new Uint8Array(await upload.arrayBuffer()) } : null;
      const kind = parsed.ok ? parsed.data.kind : parsed.valid.kind;
      const checked = file && kind ? checkUpload(kind, file) : null;
      const fileError = !file ? "file.error.missing" : checked && !checked.ok ? checked.error : null;
      if (!parsed.ok || fileError) return formFailure("file", values, { ...(parsed.ok ? {} : parsed.fields), ...(fileError ? { file: fileError } : {}) }, [], 400);
      await addLotFile(db, clock, user, lotId, { ...parsed.data, file: file! });
      return back("file");
    }
    if (values.intent === "holder") {
      const parsed = parseForm(priorityHolderSchema, values);
      if (!parsed.ok) return formFailure("holder", values, parsed.fields, [], 400);
      await addPriorityHolder(db, clock, user, lotId, parsed.data);
      return back("holder");
    }
    if (values.intent === "draft") {
      const parsed = parseForm(draftRevisionSchema, values, { yuan: ["startingPriceFen", "depositFen", "incrementFen"], dates: ["biddingStartsAt", "biddingEndsAt", "partiesNotifiedAt"], optional: ["partiesNotifiedAt"] });
      if (!parsed.ok) {
        // Every error in one round: the round's rules over the fields typed right, beside the fields typed wrong.
        const rules = await lotDraftRevisionRuleRefusal(db, clock, user, lotId, parsed.valid);
        return data(withRuleErrors("draft", values, parsed.fields, rules, { formFields: FORMS.draft }), { status: 400 });
      }
      await reviseLotDraft(db, clock, user, lotId, parsed.data);
      return back("draft");
    }
    // B11: the court withdraws a draft it has not published; the asset's page is where it goes on.
    if (values.intent === "discard") {
      const parsed = parseForm(discardDraftSchema, values);
      if (!parsed.ok) return formFailure("discard", values, parsed.fields, [], 400);
      const { assetId } = await discardLotDraft(db, clock, user, lotId, parsed.data);
      return redirect(`/court/assets/${assetId}?done=draftDiscarded`);
    }
    if (values.intent === "publish") {
      const judge = requirePageUser(request, context, "lots.publish");
      const { closesAt } = await publishLot(db, clock, judge, lotId);
      await scheduler.scheduleClose(lotId, closesAt);
      return back("published");
    }
    // G1, G3, P15: the judge holds the lot, or resumes it; watchers see either at once.
    if (values.intent === "hold") {
      const judge = requirePageUser(request, context, "lots.hold");
      const parsed = parseForm(holdSchema, values);
      if (!parsed.ok) return formFailure("hold", values, parsed.fields, [], 400);
      await holdLot(db, clock, publisher, judge, lotId, parsed.data);
      return back("held");
    }
    if (values.intent === "resume") {
      const judge = requirePageUser(request, context, "lots.hold");
      const parsed = parseForm(resumeSchema, values);
      if (!parsed.ok) return formFailure("resume", values, parsed.fields, [], 400);
      await resumeLot(db, clock, publisher, scheduler, judge, lotId, parsed.data);
      return back("resumed");
    }
    // F7, F12: the asset goes to a creditor at the failed lot's reserve.
    if (values.intent === "takeover") {
      const judge = requirePageUser(request, context, "lots.publish");
      const parsed = parseForm(takeoverSchema, values);
      if (!parsed.ok) return formFailure("takeover", values, parsed.fields, [], 400);
      await recordCreditorTakeover(db, clock, judge, lotId, parsed.data);
      return back("takeover");
    }
    // P2: a hold past its day ends the lot; the asset is announced anew.
    if (values.intent === "relist") {
      const judge = requirePageUser(request, context, "lots.hold");
      const parsed = parseForm(resumeSchema, values);
      if (!parsed.ok) return formFailure("relist", values, parsed.fields, [], 400);
      await relistLot(db, clock, judge, lotId, parsed.data);
      return back("relisted");
    }
    // G5, P2: a withdrawal before the start ends the lot; its deposits are released at once.
    if (values.intent === "withdraw") {
      const judge = requirePageUser(request, context, "lots.hold");
      const parsed = parseForm(withdrawSchema, values);
      if (!parsed.ok) return formFailure("withdraw", values, parsed.fields, [], 400);
      await withdrawLot(db, clock, judge, lotId, parsed.data);
      await settleLotDeposits(db, clock, lotId);
      return back("withdrawn");
    }
    // G7, I5, P2: a revocation after the close; the buyer's money goes back and the re-auction is drafted.
    if (values.intent === "revoke") {
      const judge = requirePageUser(request, context, "lots.hold");
      const parsed = parseForm(revokeSchema, values);
      if (!parsed.ok) return formFailure("revoke", values, parsed.fields, [], 400);
      await revokeSale(db, clock, judge, lotId, parsed.data);
      return back("revoked");
    }
    // E7, E8: the ruling's service, then the handover (judges).
    if (values.intent === "ruling") {
      const judge = requirePageUser(request, context, "lots.publish");
      const parsed = parseForm(rulingSchema, values);
      if (!parsed.ok) return formFailure("ruling", values, parsed.fields, [], 400);
      await serveRuling(db, clock, judge, lotId, parsed.data);
      return back("ruling");
    }
    if (values.intent === "handover") {
      const judge = requirePageUser(request, context, "lots.publish");
      const parsed = parseForm(handoverSchema, values);
      if (!parsed.ok) return formFailure("handover", values, parsed.fields, [], 400);
      await handOver(db, clock, judge, lotId, parsed.data);
      return back("handover");
    }
    if (values.intent === "revise") {
      const parsed = parseForm(revisionSchema, values);
      if (!parsed.ok) return formFailure("revise", values, parsed.fields, [], 400);
      await reviseAnnouncement(db, clock, user, lotId, parsed.data);
      return back("revised");
    }
  } catch (error) {
    const which: FormName = typeof values.intent === "string" && values.intent in FORMS ? (values.intent as FormName) : "publish";
    return refusal(error, which, values, { formFields: FORMS[which] });
  }
  return formFailure("publish", values, {}, ["validation.invalid"], 400);
}

export default function CourtLot({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { lot, place, canPublish, canHold, depositsReleaseAt, holderKinds, withdrawalGrounds, revocationGrounds, notice, basis, ruling, housing, takeover, applicants } = loaderData;
  const takeoverFailure = failureFor(actionData, "takeover");
  const relistFailure = failureFor(actionData, "relist");
  const rulingFailure = failureFor(actionData, "ruling") ?? failureFor(actionData, "handover");
  const revokeFailure = failureFor(actionData, "revoke");
  const nextLot = lot.rounds.find((r) => r.previousLotId === lot.id);
  const draftFailure = failureFor(actionData, "draft");
  const latest = lot.announcements[0];
  const holderFailure = failureFor(actionData, "holder");
  const reviseFailure = failureFor(actionData, "revise");
  const fileFailure = failureFor(actionData, "file");
  const publishFailure = failureFor(actionData, "publish");
  const holdFailure = failureFor(actionData, "hold");
  const resumeFailure = failureFor(actionData, "resume");
  const withdrawFailure = failureFor(actionData, "withdraw");
  const discardFailure = failureFor(actionData, "discard");
  const busy = navigation.state === "submitting";
  const isDraft = lot.phase === "draft";
  const isOpen = lot.phase === "announced" || lot.phase === "bidding";
  const isHeld = lot.phase === "suspended" || lot.phase === "stayed";
  // G5: before the start only, also while held before it.
  const withdrawable = lot.phase === "announced" || (isHeld && lot.heldFrom === "announced");
  return (
    <div>
      <p className="breadcrumbs">
        <Link to={`/court/cases/${place.caseId}`}>{lot.caseNumber}</Link> › <Link to={`/court/assets/${place.assetId}`}>{place.assetTitle}</Link>
      </p>
      <span className="caption">{t("courtLot.caption")}</span>
      <h1>{lot.title}</h1>
      <p>
        <PhaseTag phase={lot.phase} /> {!isDraft && <Link to={`/lots/${lot.id}`}>{t("courtLot.publicPage")}</Link>} · <Link to={`/court/lots/${lot.id}/viewings`} data-testid="viewings-link">{t("viewings.manage")}</Link>
        {/* A26: the fees are known once the lot sold, or its sale-off ended unsold. */}
        {(lot.phase === "sold" || (lot.phase === "failed" && lot.round === "sale_off")) && (
          <>
            {" · "}
            <Link to={`/court/lots/${lot.id}/fees`} data-testid="fees-link">
              {t("fees.title")}
            </Link>
          </>
        )}
      </p>
      {notice && <SuccessBanner>{t(notice)}</SuccessBanner>}
      <ProblemSummary
        failure={discardFailure ?? takeoverFailure ?? relistFailure ?? rulingFailure ?? draftFailure ?? publishFailure ?? holderFailure ?? reviseFailure ?? fileFailure ?? holdFailure ?? resumeFailure ?? withdrawFailure ?? revokeFailure}
        labels={
          holdFailure
            ? { reason: "courtLot.holdReason" }
            : resumeFailure
              ? { reason: "courtLot.resumeReason" }
              : withdrawFailure
                ? { reason: "courtLot.withdrawReason", ground: "courtLot.withdrawGround" }
                : discardFailure
                ? { reason: "courtLot.discardReason" }
                : revokeFailure
                  ? { reason: "courtLot.revokeReason", ground: "courtLot.revokeGround" }
                  : undefined
        }
      />

      {nextLot && (
        // F6, F8, C8: the asset's next round, drafted when this one ended.
        <p className="inset-text" data-testid="next-round">
          {t("courtLot.nextRound")} {t(`round.${nextLot.round}`)} · <Link to={`/court/lots/${nextLot.id}`}>{t("courtLot.nextRoundLink")}</Link>
        </p>
      )}
      {lot.phase === "failed" && lot.round === "sale_off" && !takeover && <p className="inset-text">{t("courtLot.creditorsOffer")}</p>}
      {lot.phase === "failed" && (takeover || !lot.rounds.some((r) => r.previousLotId === lot.id && r.status !== "draft")) && (
        <CreditorTakeover takeover={takeover} priceFen={lot.startingPriceFen} applicants={applicants} housing={housing} canAct={canPublish} failure={takeoverFailure} busy={busy} />
      )}

      {lot.currentHold && (
        // G2: a platform's suspension is the court's to see at once, with the fault it reported.
        <p className="inset-text" data-testid="current-hold">
          <strong>{t(holdHeadline(lot.currentHold.by, lot.phase))}</strong> {t("lot.hold.reason")} {lot.currentHold.reason}
        </p>
      )}

      <section aria-labelledby="monitor" className="monitor-panel" data-testid="monitor">
        <h2 id="monitor">{t("courtLot.monitor")}</h2>
        <p className="hint">{t("courtLot.monitorHint")}</p>
        <SummaryList
          rows={[
            ["courtLot.phase", <PhaseTag phase={lot.phase} key="p" />],
            [lot.currentPriceFen ? "lot.price.current" : "lot.price.starting", <Money fen={lot.currentPriceFen ?? lot.startingPriceFen} className="money--strong" key="m" />],
            ["lot.bids.count", String(lot.bidCount)],
            ["lot.time.closesAt", <DateTime iso={lot.closesAt} key="c" />],
            [
              "lot.time.left",
              lot.phase === "bidding" ? (
                <Remaining from={lot.serverTime} to={lot.closesAt} key="r" />
              ) : null,
            ],
          ]}
        />
        <BidHistory bids={lot.bids} />
      </section>

      <section aria-labelledby="setup" className="form-section">
        <h2 id="setup">{t("courtLot.setup")}</h2>
        <SummaryList
          rows={[
            ["lot.rules.startingPrice", <Money fen={lot.startingPriceFen} key="s" />],
            ["lot.rules.deposit", <Money fen={lot.depositFen} key="d" />],
            ["lot.rules.increment", <Money fen={lot.incrementFen} key="i" />],
            ["lot.rules.biddingStartsAt", <DateTime iso={lot.biddingStartsAt} key="b" />],
            ["lot.rules.biddingEndsAt", <DateTime iso={lot.biddingEndsAt} key="e" />],
            ["lot.rules.balanceDue", `${lot.balanceDueDays} ${t("time.days")}`],
            ["lot.disclosure.pricing", <span key="p">{t(`priceMethod.${lot.reference.method}`)} · {lot.reference.documentTitle} · <Money fen={lot.reference.amountFen} /></span>],
            ["lot.disclosure.partiesNotified", lot.partiesNotifiedAt ? <DateTime iso={lot.partiesNotifiedAt} key="n" /> : t("lot.disclosure.partiesNotNotified")],
            ["lot.disclosure.panelDecision", latest ? <Prose text={latest.content.panelDecision} key="pd" /> : null],
            ["lot.disclosure.depositAccount", latest ? <Prose text={latest.content.depositAccount} key="da" /> : null],
            ["lot.disclosure.transferTaxes", latest ? <Prose text={latest.content.transferTaxes} key="tt" /> : null],
            ["lot.disclosure.courtContact", latest ? <Prose text={latest.content.courtContact} key="cc" /> : null],
          ]}
        />
      </section>

      {isDraft && (
        <section aria-labelledby="draft" className="form-section">
          <h2 id="draft">{t("courtLot.draft")}</h2>
          <LotDraftForm lot={lot} basis={basis} failure={draftFailure} busy={busy} />
        </section>
      )}

      <section aria-labelledby="holders" className="form-section">
        <h2 id="holders">{t("lot.disclosure.priorityHolders")}</h2>
        <div className="field">
          <PriorityHolders holders={lot.priorityHolders} />
        </div>
        {isDraft && (
          <FoldedForm summary="courtLot.addHolder" open={Boolean(holderFailure)} intent="holder">
            <Input name="name" defaultValue={holderFailure?.values.name} error={holderFailure?.fields.name} maxLength={100} />
            <Input name="identityNumber" defaultValue={holderFailure?.values.identityNumber} error={holderFailure?.fields.identityNumber} maxLength={18} width="medium" hint={t("courtLot.holderIdentityHint")} />
            <Input name="rank" defaultValue={holderFailure?.values.rank} error={holderFailure?.fields.rank} inputMode="numeric" maxLength={2} width="short" hint={t("courtLot.rankHint")} />
            <Select
              name="kind"
              label="courtLot.holderKind"
              defaultValue={holderFailure?.values.kind}
              error={holderFailure?.fields.kind}
              emptyLabel={t("form.choose")}
              hint={t("courtLot.holderKindHint")}
              options={holderKinds.map((k) => ({ value: k, label: t(`priorityHolderKind.${k}`) }))}
            />
            <TextArea name="basis" defaultValue={holderFailure?.values.basis} error={holderFailure?.fields.basis} rows={2} maxLength={500} hint={t("courtLot.basisHint")} />
            <button type="submit" className="button button--secondary" disabled={busy}>
              {t("courtLot.addHolderSubmit")}
            </button>
          </FoldedForm>
        )}
      </section>

      {isDraft && (
        <section aria-labelledby="publish" className="form-section">
          <h2 id="publish">{t("courtLot.publish")}</h2>
          {canPublish ? (
            <>
              <p>{t("courtLot.publishLead")}</p>
              {/* Publishing cannot be undone: first the announcement as the public will read it, then the confirmation. */}
              <p>
                <Link to={`/court/lots/${lot.id}/publish`} className="button" data-testid="publish">
                  {t("courtLot.publishSubmit")}
                </Link>
              </p>
            </>
          ) : (
            <p className="inset-text">{t("courtLot.judgesOnly")}</p>
          )}
        </section>
      )}

      {isDraft && !lot.previousLotId && (
        // B11: a draft nobody published may be withdrawn by the court that drafted it; a drafted next round stays.
        <section aria-labelledby="discard" className="form-section" data-testid="discard-section">
          <h2 id="discard">{t("courtLot.discard")}</h2>
          <FoldedForm summary="courtLot.discardOpen" open={Boolean(discardFailure)} intent="discard">
            <p>{t("courtLot.discardLead")}</p>
            <TextArea name="reason" label="courtLot.discardReason" defaultValue={discardFailure?.values.reason} error={discardFailure?.fields.reason} rows={2} maxLength={500} hint={t("courtLot.discardReasonHint")} />
            <button type="submit" className="button button--warning" disabled={busy} data-testid="discard-submit">
              {t("courtLot.discardSubmit")}
            </button>
          </FoldedForm>
        </section>
      )}

      {canHold && (isOpen || isHeld) && (
        <section aria-labelledby="hold" className="form-section" data-testid="hold-section">
          <h2 id="hold">{t(isHeld ? "courtLot.resume" : "courtLot.hold")}</h2>
          {isOpen && (
            <FoldedForm summary="courtLot.holdOpen" open={Boolean(holdFailure)} intent="hold">
              <p>{t("courtLot.holdLead")}</p>
              <Radios
                name="kind"
                label="courtLot.holdKind"
                defaultValue={holdFailure?.values.kind ?? "suspend"}
                error={holdFailure?.fields.kind}
                options={[
                  { value: "suspend", label: t("courtLot.holdSuspend") },
                  { value: "stay", label: t("courtLot.holdStay") },
                ]}
              />
              <TextArea name="reason" label="courtLot.holdReason" defaultValue={holdFailure?.values.reason} error={holdFailure?.fields.reason} rows={3} maxLength={500} hint={t("courtLot.holdReasonHint")} />
              <button type="submit" className="button button--warning" disabled={busy} data-testid="hold-submit">
                {t("courtLot.holdSubmit")}
              </button>
            </FoldedForm>
          )}
          {isHeld && lot.holdDepositsReleasedAt && (
            <Form method="post" noValidate className="narrow" data-testid="relist-form">
              <input type="hidden" name="intent" value="relist" />
              <p>{t("courtLot.relistLead")}</p>
              <TextArea name="reason" label="courtLot.resumeReason" defaultValue={relistFailure?.values.reason} error={relistFailure?.fields.reason} rows={2} maxLength={500} />
              <button type="submit" className="button button--warning" disabled={busy} data-testid="relist-submit">
                {t("courtLot.relistSubmit")}
              </button>
            </Form>
          )}
          {isHeld && lot.heldAt && !lot.holdDepositsReleasedAt && (
            <Form method="post" noValidate className="narrow" data-testid="resume-form">
              <input type="hidden" name="intent" value="resume" />
              <p>
                {t("courtLot.resumeLead")} <Remaining from={lot.heldAt} to={lot.closesAt} />
              </p>
              {depositsReleaseAt && (
                <p className="inset-text">
                  {t("courtLot.depositsReleaseAt")} <DateTime iso={depositsReleaseAt} />
                </p>
              )}
              <TextArea name="reason" label="courtLot.resumeReason" defaultValue={resumeFailure?.values.reason} error={resumeFailure?.fields.reason} rows={2} maxLength={500} hint={t("courtLot.resumeReasonHint")} />
              <button type="submit" className="button" disabled={busy} data-testid="resume-submit">
                {t("courtLot.resumeSubmit")}
              </button>
            </Form>
          )}
        </section>
      )}

      {canHold && withdrawable && <GroundsForm act="withdraw" grounds={withdrawalGrounds.map((g) => ({ value: g, label: t(`withdrawalGround.${g}`) }))} failure={withdrawFailure} busy={busy} />}

      {ruling && <SaleRuling ruling={ruling} housing={housing} canAct={canPublish} failure={rulingFailure} busy={busy} />}

      {canHold && lot.phase === "sold" && !ruling?.handedOverAt && <GroundsForm act="revoke" grounds={revocationGrounds.map((g) => ({ value: g, label: t(`revocationGround.${g}`) }))} failure={revokeFailure} busy={busy} />}

      {(isDraft || isOpen) && (
        <section aria-labelledby="files" className="form-section">
          <h2 id="files">{t("files.title")}</h2>
          <LotFiles lotId={lot.id} files={lot.files} />
          <Form method="post" encType="multipart/form-data" noValidate className="narrow" data-testid="file-form">
            <input type="hidden" name="intent" value="file" />
            <Radios
              name="kind"
              label="files.kindLabel"
              defaultValue={fileFailure?.values.kind ?? "photo"}
              error={fileFailure?.fields.kind}
              options={[
                { value: "photo", label: t("files.kind.photo") },
                { value: "document", label: t("files.kind.document") },
                { value: "video", label: t("files.kind.video") },
              ]}
            />
            <Input name="title" label="files.fileTitle" defaultValue={fileFailure?.values.title} error={fileFailure?.fields.title} maxLength={200} />
            <FileInput name="file" label="files.file" accept=".jpg,.jpeg,.png,.webp,.pdf,.mp4,.m4v,.webm" error={fileFailure?.fields.file} hint={t("files.hint")} />
            <button type="submit" className="button button--secondary" disabled={busy}>
              {t("files.upload")}
            </button>
          </Form>
        </section>
      )}

      {isOpen && (
        <section aria-labelledby="revise" className="form-section">
          <h2 id="revise">{t("courtLot.revise")}</h2>
          <p className="hint">{t("courtLot.reviseLead")}</p>
          <FoldedForm summary="courtLot.reviseOpen" open={Boolean(reviseFailure)} intent="revise">
            <TextArea name="depositAccount" defaultValue={reviseFailure?.values.depositAccount ?? latest?.content.depositAccount} error={reviseFailure?.fields.depositAccount} rows={2} maxLength={500} />
            <TextArea name="transferTaxes" defaultValue={reviseFailure?.values.transferTaxes ?? latest?.content.transferTaxes} error={reviseFailure?.fields.transferTaxes} maxLength={2000} />
            <TextArea name="courtContact" defaultValue={reviseFailure?.values.courtContact ?? latest?.content.courtContact} error={reviseFailure?.fields.courtContact} rows={2} maxLength={500} />
            <TextArea name="reason" defaultValue={reviseFailure?.values.reason} error={reviseFailure?.fields.reason} rows={2} maxLength={500} hint={t("courtLot.reasonHint")} />
            <button type="submit" className="button button--secondary" disabled={busy}>
              {t("courtLot.reviseSubmit")}
            </button>
          </FoldedForm>
          {lot.announcements.length > 1 && (
            <>
              <h3>{t("lot.announcement.history")}</h3>
              <ol className="revision-list" reversed>
                {lot.announcements.map((a) => (
                  <li key={a.version}>
                    {t("lot.announcement.version")} {a.version} · <DateTime iso={a.createdAt} />
                    {a.reason ? ` · ${t("lot.announcement.reason")} ${a.reason}` : ""}
                  </li>
                ))}
              </ol>
            </>
          )}
        </section>
      )}
    </div>
  );
}

const GROUNDS_FORMS = {
  withdraw: { title: "courtLot.withdraw", open: "courtLot.withdrawOpen", lead: "courtLot.withdrawLead", ground: "courtLot.withdrawGround", reason: "courtLot.withdrawReason", submit: "courtLot.withdrawSubmit" },
  revoke: { title: "courtLot.revoke", open: "courtLot.revokeOpen", lead: "courtLot.revokeLead", ground: "courtLot.revokeGround", reason: "courtLot.revokeReason", submit: "courtLot.revokeSubmit" },
} as const;

/** G5, G7: a withdrawal before the start or a revocation after the close, each on one of the law's grounds, with a reason. */
function GroundsForm({ act, grounds, failure, busy }: { act: keyof typeof GROUNDS_FORMS; grounds: { value: string; label: string }[]; failure: FormFailureData | undefined; busy: boolean }) {
  const { t } = useTranslation();
  const keys = GROUNDS_FORMS[act];
  return (
    <section aria-labelledby={act} className="form-section" data-testid={`${act}-section`}>
      <h2 id={act}>{t(keys.title)}</h2>
      <FoldedForm summary={keys.open} open={Boolean(failure)} intent={act}>
        <p>{t(keys.lead)}</p>
        <Radios name="ground" label={keys.ground} defaultValue={failure?.values.ground} error={failure?.fields.ground} options={grounds} />
        <TextArea name="reason" label={keys.reason} defaultValue={failure?.values.reason} error={failure?.fields.reason} rows={3} maxLength={500} hint={t("courtLot.holdReasonHint")} />
        <button type="submit" className="button button--warning" disabled={busy} data-testid={`${act}-submit`}>
          {t(keys.submit)}
        </button>
      </FoldedForm>
    </section>
  );
}

import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/court.lot-new";
import { CN_SPC_2016, createLotDraft, getCourtAsset, lotDraftRuleRefusal, lotDraftSchema, setupLimits, validReferencePrice } from "../../auction/index.ts";
import { parseYuan } from "../../core/money.ts";
import { DateTime, Money, SummaryList } from "../components/auction.tsx";
import { Checkbox, failureFor, Input, MoneyInput, ProblemSummary, TextArea } from "../components/form-fields.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formValues, pageId, parseForm, toFailure, readForm, withRuleErrors } from "../lib/forms.server.ts";
import { fenToYuanInput, toPlain } from "../lib/format.ts";
import type { SessionUser } from "../../identity/index.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("lotNew.title");

const DAY = 24 * 60 * 60 * 1000;
const pct = (r: { num: bigint; den: bigint }) => Number((r.num * 100n) / r.den);

/** The ruleset's numbers shown beside the form, so the judge sees the limits before typing (B3, B5, C1, D2, D3, P3). */
const rulesView = () => ({
  startingPct: pct(CN_SPC_2016.startingPriceMin),
  depositMinPct: pct(CN_SPC_2016.depositMin),
  depositMaxPct: pct(CN_SPC_2016.depositMax),
  minBiddingHours: CN_SPC_2016.minBiddingMs / (60 * 60 * 1000),
  leadMovableDays: CN_SPC_2016.announcementLeadMs.first.movable / DAY,
  leadRealDays: CN_SPC_2016.announcementLeadMs.first.realProperty / DAY,
  partyNoticeDays: CN_SPC_2016.partyNoticeLeadMs / DAY,
  extensionMinutes: CN_SPC_2016.extensionMs / 60_000,
  balanceMin: CN_SPC_2016.balanceDueDays.min,
  balanceMax: CN_SPC_2016.balanceDueDays.max,
  balanceDefault: CN_SPC_2016.balanceDueDays.default,
});

async function loadSetup(request: Request, context: Route.LoaderArgs["context"], assetIdParam: string | undefined) {
  const user: SessionUser = requirePageUser(request, context, "cases.manage");
  const assetId = pageId(assetIdParam);
  const { db, clock } = services(context);
  const now = clock.now();
  try {
    const found = await getCourtAsset(db, user, assetId, now);
    const reference = await validReferencePrice(db, assetId, now);
    return { user, found, reference, db, clock };
  } catch (error) {
    throw asPageError(error);
  }
}

/** Limits computed from the reference price and the starting price typed (or the lowest allowed). */
function limitsFor(referenceFen: bigint, startingTyped: string | undefined) {
  const floor = setupLimits(CN_SPC_2016, referenceFen, referenceFen).minStartingPriceFen;
  let starting = floor;
  try {
    if (startingTyped?.trim()) starting = parseYuan(startingTyped);
  } catch {
    // A malformed amount has its own error; the limits use the floor.
  }
  return toPlain({ ...setupLimits(CN_SPC_2016, referenceFen, starting), startingFen: starting });
}

/** Court staff: set up a lot for an asset with a valid reference price; every rule is checked by createLotDraft. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { found, reference } = await loadSetup(request, context, params.assetId);
  return {
    asset: { id: found.asset.id, title: found.asset.title, caseId: found.asset.caseId, category: found.asset.category },
    caseNumber: found.caseNumber,
    reference: reference && toPlain({ method: reference.method, amountFen: reference.amountFen, documentTitle: reference.documentTitle, validUntil: reference.validUntil }),
    limits: reference ? limitsFor(reference.amountFen, undefined) : null,
    rules: rulesView(),
  };
}

const LOT_FIELDS = [
  "title",
  "startingPriceFen",
  "depositFen",
  "incrementFen",
  "biddingStartsAt",
  "biddingEndsAt",
  "balanceDueDays",
  "panelDecision",
  "depositAccount",
  "transferTaxes",
  "courtContact",
  "partiesNotifiedAt",
  "loanAvailable",
] as const;
// "announceAt": bidding starts too soon after today's announcement — a matter of the start time (B5).
const LOT_FORM = { formFields: LOT_FIELDS, fieldMap: { announceAt: "biddingStartsAt" } };

export async function action({ request, params, context }: Route.ActionArgs) {
  const { user, found, reference, db, clock } = await loadSetup(request, context, params.assetId);
  const values = formValues(await readForm(request));
  const limits = reference ? limitsFor(reference.amountFen, values.startingPriceFen) : null;
  const parsed = parseForm(
    lotDraftSchema,
    values,
    { yuan: ["startingPriceFen", "depositFen", "incrementFen"], dates: ["biddingStartsAt", "biddingEndsAt", "partiesNotifiedAt"], optional: ["partiesNotifiedAt"] },
    { assetId: found.asset.id },
  );

  if (!parsed.ok) {
    // Every error in one round: the rules over the fields typed right, beside the fields typed wrong.
    const rules = await lotDraftRuleRefusal(db, clock, user, found.asset.id, parsed.valid);
    return data({ ...withRuleErrors("lot", values, parsed.fields, rules, LOT_FORM), limits }, { status: 400 });
  }
  let lot: { id: string };
  try {
    lot = await createLotDraft(db, clock, user, parsed.data);
  } catch (error) {
    const { failure, status } = toFailure(error, "lot", values, LOT_FORM);
    return data({ ...failure, limits }, { status });
  }
  return redirect(`/court/lots/${lot.id}`);
}

/** "Starting price ¥X → ¥a – ¥b": the deposit range for the starting price last typed (or the lowest allowed). */
function DepositRange({ limits }: { limits: { startingFen: string; minDepositFen: string; maxDepositFen: string } }) {
  const { t } = useTranslation();
  return (
    <>
      {t("lot.price.starting")} <Money fen={limits.startingFen} /> → <Money fen={limits.minDepositFen} /> – <Money fen={limits.maxDepositFen} />
    </>
  );
}

export default function NewLot({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { asset, caseNumber, reference, rules } = loaderData;
  const failure = failureFor(actionData, "lot");
  const limits = (actionData && "limits" in actionData ? actionData.limits : null) ?? loaderData.limits;
  const v = failure?.values;
  const err = failure?.fields;
  return (
    <div>
      <p className="breadcrumbs">
        <Link to={`/court/cases/${asset.caseId}`}>{caseNumber}</Link> › <Link to={`/court/assets/${asset.id}`}>{asset.title}</Link>
      </p>
      <h1>{t("lotNew.title")}</h1>
      {!reference || !limits ? (
        <p className="inset-text">{t("court.asset.needPrice")}</p>
      ) : (
        <>
          <ProblemSummary failure={failure} />
          <section className="limits-panel" aria-labelledby="limits">
            <h2 id="limits">{t("lotNew.limits.title")}</h2>
            <SummaryList
              rows={[
                [
                  "lotNew.limits.reference",
                  <span key="r">
                    <Money fen={reference.amountFen} /> · {t(`priceMethod.${reference.method}`)} · {reference.documentTitle} · {t("lot.disclosure.validUntil")}{" "}
                    <DateTime iso={reference.validUntil} dateOnly />
                  </span>,
                ],
                [
                  "lotNew.limits.minStart",
                  <span key="s">
                    <Money fen={limits.minStartingPriceFen} className="money--strong" />
                    <br />
                    {t("lotNew.limits.percentOfReference")} {rules.startingPct}%
                  </span>,
                ],
                [
                  "lotNew.limits.deposit",
                  <span key="d">
                    {t("lotNew.limits.ofStart")} {rules.depositMinPct}%–{rules.depositMaxPct}%
                    <br />
                    <DepositRange limits={limits} />
                  </span>,
                ],
                [
                  "lotNew.limits.lead",
                  <span key="l">
                    {t("lotNew.limits.movables")} {rules.leadMovableDays} {t("time.days")}
                    <br />
                    {t("lotNew.limits.realProperty")} {rules.leadRealDays} {t("time.days")}
                  </span>,
                ],
                ["lotNew.limits.duration", `${rules.minBiddingHours} ${t("time.hours")}`],
                ["lotNew.limits.extension", t("lot.rules.extensionText")],
                ["lotNew.limits.balance", `${rules.balanceMin}–${rules.balanceMax} ${t("time.days")}`],
              ]}
            />
          </section>

          <Form method="post" noValidate className="narrow" data-testid="lot-form">
            <Input name="title" label="lotNew.lotTitle" defaultValue={v?.title ?? asset.title} error={err?.title} maxLength={200} />
            <MoneyInput
              name="startingPriceFen"
              defaultValue={v?.startingPriceFen ?? fenToYuanInput(limits.minStartingPriceFen)}
              error={err?.startingPriceFen}
              hint={
                <>
                  {t("lotNew.hint.minStart")} <Money fen={limits.minStartingPriceFen} />
                </>
              }
            />
            <MoneyInput
              name="depositFen"
              defaultValue={v?.depositFen}
              error={err?.depositFen}
              hint={
                <>
                  {t("lotNew.hint.deposit")}
                  <br />
                  <DepositRange limits={limits} />
                </>
              }
            />
            <MoneyInput name="incrementFen" defaultValue={v?.incrementFen} error={err?.incrementFen} hint={t("lotNew.hint.increment")} />
            <Input
              name="biddingStartsAt"
              type="datetime-local"
              defaultValue={v?.biddingStartsAt}
              error={err?.biddingStartsAt}
              width="medium"
              hint={
                <>
                  {t("lotNew.hint.startLead")}
                  <br />
                  {t("lotNew.limits.movables")} {rules.leadMovableDays} {t("time.days")}
                  <br />
                  {t("lotNew.limits.realProperty")} {rules.leadRealDays} {t("time.days")}
                  <br />
                  {t("form.beijingTime")}
                </>
              }
            />
            <Input
              name="biddingEndsAt"
              type="datetime-local"
              defaultValue={v?.biddingEndsAt}
              error={err?.biddingEndsAt}
              width="medium"
              hint={
                <>
                  {t("lotNew.hint.duration")} {rules.minBiddingHours} {t("time.hours")}
                  <br />
                  {t("form.beijingTime")}
                </>
              }
            />
            <Input
              name="balanceDueDays"
              defaultValue={v?.balanceDueDays ?? String(rules.balanceDefault)}
              error={err?.balanceDueDays}
              inputMode="numeric"
              maxLength={2}
              width="short"
              hint={`${t("lotNew.hint.balance")} ${rules.balanceMin}–${rules.balanceMax} ${t("time.days")}`}
            />
            <TextArea name="panelDecision" defaultValue={v?.panelDecision} error={err?.panelDecision} rows={2} maxLength={500} hint={t("lotNew.hint.panel")} />
            <TextArea name="depositAccount" defaultValue={v?.depositAccount} error={err?.depositAccount} rows={2} maxLength={500} hint={t("lotNew.hint.depositAccount")} />
            <TextArea name="transferTaxes" defaultValue={v?.transferTaxes} error={err?.transferTaxes} maxLength={2000} hint={t("lotNew.hint.transferTaxes")} />
            <TextArea name="courtContact" defaultValue={v?.courtContact} error={err?.courtContact} rows={2} maxLength={500} hint={t("lotNew.hint.courtContact")} />
            <Input
              name="partiesNotifiedAt"
              type="datetime-local"
              defaultValue={v?.partiesNotifiedAt}
              error={err?.partiesNotifiedAt}
              width="medium"
              hint={
                <>
                  {t("lotNew.hint.partiesNotified")} {rules.partyNoticeDays} {t("time.days")}
                  <br />
                  {t("form.beijingTime")}
                </>
              }
            />
            <Checkbox name="loanAvailable" label="fields.loanAvailable" defaultChecked={v?.loanAvailable === "on"} error={err?.loanAvailable} />
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              {t("lotNew.submit")}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

import { useTranslation } from "react-i18next";
import { Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/court.asset";
import { getCourtAsset, recordReferencePrice, referencePriceSchema, referenceValidityFault, validReferencePrice } from "../../auction/index.ts";
import { DateTime, Money, PhaseTag, Prose, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { failureFor, FoldedForm, Input, MoneyInput, ProblemSummary, Radios, TextArea } from "../components/form-fields.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, parseForm, refusal, readForm } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { ProcedureList, StartProcedureForms } from "../components/appraisal.tsx";
import { START_FORMS, startProcedureAction } from "../lib/appraisal-forms.server.ts";
import { assetProcedures } from "../../appraisal/index.ts";
import { can } from "../../identity/index.ts";
import { CN_SPC_2016, endOfDays } from "../../core/ruleset.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("titles.asset", (d) => d.asset.title);

const METHODS = ["negotiation", "directed_inquiry"] as const;

/** Court staff: an asset, its reference prices (A3, A4) and the lots set up for it. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const assetId = pageId(params.assetId);
  const { db, clock } = services(context);
  try {
    const now = clock.now();
    const found = await getCourtAsset(db, user, assetId, now);
    const valid = await validReferencePrice(db, assetId, now);
    const query = new URL(request.url).searchParams;
    const recorded = query.get("recorded") === "1";
    // B11: the court came back from withdrawing one of the asset's drafts.
    const draftDiscarded = query.get("done") === "draftDiscarded";
    // A1–A11: the asset's reference-price procedures, and when the first was due to start.
    const procedures = await assetProcedures(db, user, assetId);
    const startDueAt = endOfDays(found.asset.seizedAt, CN_SPC_2016.priceProcedureStartDays);
    return { ...toPlain(found), validPriceId: valid?.id ?? null, methods: [...METHODS], recorded, draftDiscarded, procedures: toPlain(procedures), startDueAt: startDueAt.toISOString(), mayDecide: can(user, "appraisal.decide") };
  } catch (error) {
    throw asPageError(error);
  }
}

const PRICE_FIELDS = ["method", "amountFen", "documentTitle", "validFrom", "validUntil"] as const;

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const assetId = pageId(params.assetId);
  const values = formValues(await readForm(request));
  // Starting a reference-price procedure (one form per method).
  if (values.intent && (START_FORMS as readonly string[]).includes(values.intent)) return startProcedureAction(context, user, assetId, values);
  const parsed = parseForm(referencePriceSchema, values, { yuan: ["amountFen"], dates: ["validFrom", "validUntil"], endOfDay: ["validUntil"] });
  // The period's rule (A23) is reported with the fields' own errors, in one round.
  if (!parsed.ok) return formFailure("price", values, { ...parsed.fields, ...referenceValidityFault(parsed.valid.validFrom, parsed.valid.validUntil) }, [], 400);
  const { db, clock } = services(context);
  try {
    // While a procedure is fixing the asset's price, no price is recorded around it.
    const procedures = await assetProcedures(db, user, assetId);
    if (procedures.some((p) => p.status === "open" || p.status === "suspended")) return formFailure("price", values, {}, ["errors.PROCEDURE_RUNNING"], 409);
    await recordReferencePrice(db, clock, user, assetId, parsed.data);
  } catch (error) {
    return refusal(error, "price", values, { formFields: PRICE_FIELDS });
  }
  return redirect(`/court/assets/${assetId}?recorded=1`);
}

export default function CourtAsset({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { asset, caseNumber, referencePrices, lots, validPriceId, methods, recorded, draftDiscarded, procedures, startDueAt, mayDecide } = loaderData;
  const failure = failureFor(actionData, "price");
  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/court/cases">{t("court.cases.title")}</Link> › <Link to={`/court/cases/${asset.caseId}`}>{caseNumber}</Link>
      </p>
      <span className="caption">{t(`category.${asset.category}`)}</span>
      <h1>{asset.title}</h1>
      {recorded && <SuccessBanner>{t("court.asset.recorded")}</SuccessBanner>}
      {draftDiscarded && <SuccessBanner>{t("court.asset.draftDiscarded")}</SuccessBanner>}
      <ProblemSummary failure={failure} />
      <SummaryList
        rows={[
          ["lot.disclosure.region", asset.regionCode],
          ["lot.disclosure.description", <Prose text={asset.description} key="d" />],
          ["lot.disclosure.encumbrances", <Prose text={asset.encumbrances} key="e" />],
          ["lot.disclosure.occupancy", <Prose text={asset.occupancy} key="o" />],
          ["lot.disclosure.lease", <Prose text={asset.lease} key="l" />],
          ["lot.disclosure.taxes", <Prose text={asset.taxes} key="t" />],
          ["lot.disclosure.knownDefects", <Prose text={asset.knownDefects} key="k" />],
          ["fields.seizedAt", <DateTime iso={asset.seizedAt} dateOnly key="s" />],
        ]}
      />

      <section aria-labelledby="lots" className="form-section">
        <h2 id="lots">{t("court.asset.lots")}</h2>
        {lots.length === 0 ? (
          <p>{t("court.asset.noLots")}</p>
        ) : (
          <ul className="plain-list" data-testid="asset-lots">
            {lots.map((l) => (
              <li key={l.id}>
                <Link to={`/court/lots/${l.id}`}>{l.title}</Link> <PhaseTag phase={l.phase} /> · {t("lot.price.starting")} <Money fen={l.startingPriceFen} />
              </li>
            ))}
          </ul>
        )}
        {validPriceId ? (
          <p>
            <Link to={`/court/assets/${asset.id}/lots/new`} className="button" data-testid="set-up-lot">
              {t("court.asset.setUpLot")}
            </Link>
          </p>
        ) : (
          <p className="inset-text">{t("court.asset.needPrice")}</p>
        )}
      </section>

      <section aria-labelledby="procedures" className="form-section">
        <h2 id="procedures">{t("appraisal.asset.title")}</h2>
        {procedures.length === 0 ? <p>{t("appraisal.asset.none")}</p> : <ProcedureList procedures={procedures} href={(id) => `/court/procedures/${id}`} />}
        <StartProcedureForms actionData={actionData} running={procedures.some((p) => p.status === "open" || p.status === "suspended")} startDueAt={startDueAt} started={procedures.length > 0} judge={mayDecide} />
      </section>

      <section aria-labelledby="prices" className="form-section">
        <h2 id="prices">{t("court.asset.prices")}</h2>
        <DataTable
          rows={referencePrices}
          rowKey={(p) => p.id}
          testId="reference-prices"
          empty={<p>{t("court.asset.noPrices")}</p>}
          columns={[
            {
              header: "fields.method",
              cell: (p) => (
                <>
                  {t(`priceMethod.${p.method}`)}
                  {p.id === validPriceId && <span className="tag tag--bidding">{t("court.asset.inForce")}</span>}
                </>
              ),
            },
            { header: "court.asset.amount", numeric: true, cell: (p) => <Money fen={p.amountFen} /> },
            { header: "fields.documentTitle", cell: (p) => p.documentTitle },
            {
              header: "court.asset.validity",
              cell: (p) => (
                <>
                  <DateTime iso={p.validFrom} dateOnly /> – <DateTime iso={p.validUntil} dateOnly />
                </>
              ),
            },
          ]}
        />
        {/* A price fixed outside the platform's procedures; not while a procedure is running for the asset. */}
        {!procedures.some((p) => p.status === "open" || p.status === "suspended") && (
          <FoldedForm summary="court.asset.recordPrice" open={Boolean(failure) || (referencePrices.length === 0 && procedures.length === 0)}>
            <p className="hint">{t("appraisal.asset.recordLead")}</p>
            <Radios name="method" defaultValue={failure?.values.method} error={failure?.fields.method} options={methods.map((m) => ({ value: m, label: t(`priceMethod.${m}`) }))} />
            <MoneyInput name="amountFen" label="court.asset.amount" defaultValue={failure?.values.amountFen} error={failure?.fields.amountFen} hint={t("form.yuanHint")} />
            <TextArea name="documentTitle" defaultValue={failure?.values.documentTitle} error={failure?.fields.documentTitle} rows={2} maxLength={200} hint={t("court.asset.documentHint")} />
            <Input name="validFrom" type="date" defaultValue={failure?.values.validFrom} error={failure?.fields.validFrom} width="medium" />
            <Input name="validUntil" type="date" defaultValue={failure?.values.validUntil} error={failure?.fields.validUntil} width="medium" hint={t("court.asset.validUntilHint")} />
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              {t("court.asset.recordSubmit")}
            </button>
          </FoldedForm>
        )}
      </section>
    </div>
  );
}

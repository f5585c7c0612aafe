import { useTranslation } from "react-i18next";
import { Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/court.case";
import {
  addParty,
  ASSET_CATEGORIES,
  assetSchema,
  casePartyLinks,
  createAsset,
  decidePartyClaim,
  getCourtCase,
  issuePartyLinkCode,
  PARTY_ROLES,
  partySchema,
  revokePartyLink,
} from "../../auction/index.ts";
import { caseEscrowBalance } from "../../escrow/index.ts";
import { can, type SessionUser } from "../../identity/index.ts";
import { DateTime, Money, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { EscrowSummary } from "../components/escrow.tsx";
import { ActionButton, failureFor, FoldedForm, Input, MoneyInput, ProblemSummary, Radios, Select, TextArea } from "../components/form-fields.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import type { AppServices } from "../services.ts";
import { formFailure, formValues, pageId, parseForm, refusal, readForm } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("titles.case", (d) => d.theCase.caseNumber);

/** Court staff: one case of their court — its parties and its seized assets. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const caseId = pageId(params.caseId);
  try {
    const { db, clock } = services(context);
    const found = await getCourtCase(db, user, caseId);
    const search = new URL(request.url).searchParams;
    // Who acts for each party: accounts the court linked, claims awaiting it, and codes handed out (ADR 016).
    const linking = can(user, "cases.link_parties", { courtId: found.theCase.courtId }) ? toPlain(await casePartyLinks(db, user, caseId, clock.now())) : null;
    const escrow = toPlain(await caseEscrowBalance(db, user, caseId));
    return { ...toPlain(found), escrow, categories: [...ASSET_CATEGORIES], roles: [...PARTY_ROLES], added: search.get("added") === "party", linkDone: LINK_NOTICES[search.get("link") ?? ""] ?? null, linking };
  } catch (error) {
    throw asPageError(error);
  }
}

const PARTY_FIELDS = ["role", "name", "identityNumber", "claimFen"] as const;
const LINK_NOTICES: Record<string, string> = { confirmed: "court.links.confirmedNow", refused: "court.links.refusedNow", revoked: "court.links.revokedNow" };

/** The court's actions on who acts for a party: a one-time code (shown once, in this answer), a claim decided, a link ended. */
async function linkAction({ db, clock }: AppServices, user: SessionUser, caseId: string, values: Record<string, string>) {
  try {
    if (values.intent === "link-code") {
      const issued = await issuePartyLinkCode(db, clock, user, pageId(values.partyId));
      return { issued: { partyId: values.partyId!, code: issued.code, expiresAt: issued.expiresAt.toISOString() } };
    }
    const linkId = pageId(values.linkId);
    if (values.intent === "link-revoke") await revokePartyLink(db, clock, user, linkId);
    else await decidePartyClaim(db, clock, user, linkId, values.intent === "claim-confirm" ? "confirm" : "refuse");
  } catch (error) {
    return refusal(error, "link", values, { formFields: [] });
  }
  const done = values.intent === "link-revoke" ? "revoked" : values.intent === "claim-confirm" ? "confirmed" : "refused";
  return redirect(`/court/cases/${caseId}?link=${done}#parties`);
}
const LINK_INTENTS = ["link-code", "link-revoke", "claim-confirm", "claim-refuse"];
const ASSET_FIELDS = ["category", "regionCode", "title", "description", "encumbrances", "occupancy", "lease", "taxes", "knownDefects", "seizedAt"] as const;

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const caseId = pageId(params.caseId);
  const { db, clock } = services(context);
  const values = formValues(await readForm(request));
  if (LINK_INTENTS.includes(values.intent ?? "")) return linkAction(services(context), user, caseId, values);
  if (values.intent === "party") {
    const parsed = parseForm(partySchema, values, { yuan: ["claimFen"], optional: ["claimFen"] });
    if (!parsed.ok) return formFailure("party", values, parsed.fields, [], 400);
    try {
      await addParty(db, clock, user, caseId, parsed.data);
    } catch (error) {
      return refusal(error, "party", values, { formFields: PARTY_FIELDS });
    }
    return redirect(`/court/cases/${caseId}?added=party#parties`);
  }
  if (values.intent === "asset") {
    const parsed = parseForm(assetSchema, values, { dates: ["seizedAt"] });
    if (!parsed.ok) return formFailure("asset", values, parsed.fields, [], 400);
    let asset: { id: string };
    try {
      asset = await createAsset(db, clock, user, caseId, parsed.data);
    } catch (error) {
      return refusal(error, "asset", values, { formFields: ASSET_FIELDS });
    }
    // Next step: fix the asset's reference price.
    return redirect(`/court/assets/${asset.id}`);
  }
  return formFailure("none", values, {}, ["validation.invalid"], 400);
}

export default function CourtCase({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { theCase, parties, assets, categories, roles, added, linkDone, linking, escrow } = loaderData;
  const partyFailure = failureFor(actionData, "party");
  const issued = actionData && "issued" in actionData ? actionData.issued : null;
  const assetFailure = failureFor(actionData, "asset");
  const busy = navigation.state === "submitting";
  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/court/cases">{t("court.cases.title")}</Link>
      </p>
      <span className="caption">{t("court.case.caption")}</span>
      <h1>{theCase.caseNumber}</h1>
      <p>
        <Link to={`/cases/${theCase.id}/fund-flow`}>{t("fundFlow.link")}</Link>
      </p>
      {added && <SuccessBanner>{t("court.case.partyAdded")}</SuccessBanner>}
      {linkDone && <SuccessBanner>{t(linkDone)}</SuccessBanner>}
      <ProblemSummary failure={partyFailure ?? assetFailure ?? failureFor(actionData, "link") ?? failureFor(actionData, "none")} />
      <SummaryList
        rows={[
          ["fields.enforcementBasis", theCase.enforcementBasis],
          ["court.cases.judge", theCase.judgeName],
          ["court.cases.createdAt", <DateTime iso={theCase.createdAt} key="c" />],
        ]}
      />

      <section aria-labelledby="assets" className="form-section">
        <h2 id="assets">{t("court.case.assets")}</h2>
        {assets.length === 0 ? (
          <p>{t("court.case.noAssets")}</p>
        ) : (
          <ul className="plain-list" data-testid="asset-list">
            {assets.map((a) => (
              <li key={a.id}>
                <Link to={`/court/assets/${a.id}`}>{a.title}</Link> · {t(`category.${a.category}`)} · {a.regionCode}
              </li>
            ))}
          </ul>
        )}
        <FoldedForm summary="court.case.addAsset" open={Boolean(assetFailure)} intent="asset">
          <Select
            name="category"
            defaultValue={assetFailure?.values.category}
            error={assetFailure?.fields.category}
            emptyLabel={t("form.choose")}
            options={categories.map((c) => ({ value: c, label: t(`category.${c}`) }))}
          />
          <Input name="title" label="court.case.assetTitle" defaultValue={assetFailure?.values.title} error={assetFailure?.fields.title} maxLength={200} />
          <Input name="regionCode" defaultValue={assetFailure?.values.regionCode} error={assetFailure?.fields.regionCode} inputMode="numeric" maxLength={6} width="short" hint={t("court.case.regionHint")} />
          <TextArea name="description" defaultValue={assetFailure?.values.description} error={assetFailure?.fields.description} rows={4} maxLength={5000} hint={t("court.case.descriptionHint")} />
          <TextArea name="encumbrances" defaultValue={assetFailure?.values.encumbrances} error={assetFailure?.fields.encumbrances} maxLength={2000} hint={t("court.case.noneHint")} />
          <TextArea name="occupancy" defaultValue={assetFailure?.values.occupancy} error={assetFailure?.fields.occupancy} maxLength={2000} />
          <TextArea name="lease" defaultValue={assetFailure?.values.lease} error={assetFailure?.fields.lease} maxLength={2000} hint={t("court.case.noneHint")} />
          <TextArea name="taxes" defaultValue={assetFailure?.values.taxes} error={assetFailure?.fields.taxes} maxLength={2000} hint={t("court.case.noneHint")} />
          <TextArea name="knownDefects" defaultValue={assetFailure?.values.knownDefects} error={assetFailure?.fields.knownDefects} maxLength={2000} hint={t("court.case.noneHint")} />
          <Input name="seizedAt" type="date" defaultValue={assetFailure?.values.seizedAt} error={assetFailure?.fields.seizedAt} width="medium" />
          <button type="submit" className="button" disabled={busy}>
            {t("court.case.addAssetSubmit")}
          </button>
        </FoldedForm>
      </section>

      <section aria-labelledby="escrow" className="form-section" data-testid="case-escrow">
        <h2 id="escrow">{t("escrow.heading")}</h2>
        <p>{t("escrow.lead")}</p>
        <EscrowSummary escrow={escrow} />
        <p>
          <Link to={`/court/cases/${theCase.id}/distribution`}>{t("escrow.distributionLink")}</Link>
        </p>
      </section>

      <section aria-labelledby="parties" className="form-section">
        <h2 id="parties">{t("court.case.parties")}</h2>
        <DataTable
          rows={parties}
          rowKey={(p) => p.id}
          testId="party-list"
          empty={<p>{t("court.case.noParties")}</p>}
          columns={[
            { header: "fields.role", cell: (p) => t(`partyRole.${p.role}`) },
            { header: "fields.name", cell: (p) => p.name },
            { header: "fields.identityNumber", cell: (p) => p.identityNumber },
            { header: "court.case.claim", numeric: true, cell: (p) => (p.claimFen ? <Money fen={p.claimFen} /> : "—") },
          ]}
        />
        {linking && <PartyLinks parties={parties} linking={linking} issued={issued} />}
        <FoldedForm summary="court.case.addParty" open={Boolean(partyFailure)} intent="party">
          <Radios name="role" defaultValue={partyFailure?.values.role} error={partyFailure?.fields.role} options={roles.map((r) => ({ value: r, label: t(`partyRole.${r}`) }))} />
          <Input name="name" defaultValue={partyFailure?.values.name} error={partyFailure?.fields.name} maxLength={100} />
          <Input name="identityNumber" defaultValue={partyFailure?.values.identityNumber} error={partyFailure?.fields.identityNumber} maxLength={18} width="medium" hint={t("court.case.identityHint")} />
          <MoneyInput name="claimFen" defaultValue={partyFailure?.values.claimFen} error={partyFailure?.fields.claimFen} hint={t("court.case.claimHint")} />
          <button type="submit" className="button" disabled={busy}>
            {t("court.case.addPartySubmit")}
          </button>
        </FoldedForm>
      </section>
    </div>
  );
}

type Linking = NonNullable<Route.ComponentProps["loaderData"]["linking"]>;

/**
 * Who acts for each party on the platform (ADR 016): the accounts linked to it, claims for the court to confirm or
 * refuse, and a one-time code to hand to the party — shown once, right after it is made.
 */
function PartyLinks({ parties, linking, issued }: { parties: { id: string; name: string; role: string }[]; linking: Linking; issued: { partyId: string; code: string; expiresAt: string } | null }) {
  const { t } = useTranslation();
  return (
    <div data-testid="party-links">
      <h3>{t("court.links.heading")}</h3>
      <p>{t("court.links.lead")}</p>
      {parties.map((p) => {
        const links = linking.links.filter((l) => l.partyId === p.id);
        const openCode = linking.openCodes.find((c) => c.partyId === p.id);
        return (
          <section key={p.id} className="form-section" data-testid="party-link-row" data-party-id={p.id}>
            <h4>
              {t(`partyRole.${p.role}`)} · {p.name}
            </h4>
            {links.length === 0 ? (
              <p>{t("court.links.noAccount")}</p>
            ) : (
              <ul className="plain-list">
                {links.map((l) => (
                  <li key={l.id} data-testid="party-link" data-status={l.status}>
                    {l.name} ({l.username}) · {l.status === "confirmed" ? t("court.links.linkedSince") : t("court.links.claimedSince")} <DateTime iso={l.decidedAt ?? l.createdAt} />{" "}
                    {l.status === "confirmed" ? (
                      <ActionButton fields={{ intent: "link-revoke", linkId: l.id }} label="court.links.revoke" className="button button--warning" ariaLabel={`${t("court.links.revoke")}: ${l.name}`} />
                    ) : (
                      <>
                        <ActionButton fields={{ intent: "claim-confirm", linkId: l.id }} label="court.links.confirm" ariaLabel={`${t("court.links.confirm")}: ${l.name}`} />{" "}
                        <ActionButton fields={{ intent: "claim-refuse", linkId: l.id }} label="court.links.refuse" className="button button--secondary" ariaLabel={`${t("court.links.refuse")}: ${l.name}`} />
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {issued?.partyId === p.id ? (
              <div className="inset-text" data-testid="new-link-code">
                <p>{t("court.links.codeOnce")}</p>
                <p>
                  <code className="token">{issued.code}</code>
                </p>
                <p>
                  {t("court.links.codeUntil")} <DateTime iso={issued.expiresAt} />
                </p>
              </div>
            ) : (
              openCode && (
                <p className="hint">
                  {t("court.links.codeOpen")} <DateTime iso={openCode.expiresAt} />
                </p>
              )
            )}
            <ActionButton fields={{ intent: "link-code", partyId: p.id }} label={openCode || issued?.partyId === p.id ? "court.links.newCode" : "court.links.issueCode"} className="button button--secondary" ariaLabel={`${t("court.links.issueCode")}: ${p.name}`} />
          </section>
        );
      })}
    </div>
  );
}

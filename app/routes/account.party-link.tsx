import { useTranslation } from "react-i18next";
import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/account.party-link";
import { claimParty, claimSchema, ownPartyLinks, redeemPartyLinkCode, redeemSchema } from "../../auction/index.ts";
import { getAccount } from "../../identity/index.ts";
import { isAppError } from "../../core/errors.ts";
import { DateTime, SuccessBanner } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { Input, ProblemSummary, failureFor } from "../components/form-fields.tsx";
import { formFailure, formValues, parseForm, readForm, refusal } from "../lib/forms.server.ts";
import { requirePageUser, services } from "../lib/http.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("partyLink.title");

const STATUS_LABELS = {
  pending: "partyLink.status.pending",
  confirmed: "partyLink.status.confirmed",
  refused: "partyLink.status.refused",
  revoked: "partyLink.status.revoked",
} as const;
const ROLE_LABELS = { applicant: "partyRole.applicant", debtor: "partyRole.debtor" } as const;

/**
 * A party of a case links their account to it: with the one-time code the court gave them, or by a claim the
 * court confirms. Either way the account's real name must be verified first (ADR 016).
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "cases.claim_party");
  const { db } = services(context);
  const account = await getAccount(db, user.id);
  const links = await ownPartyLinks(db, user);
  return {
    verified: Boolean(account?.realNameVerifiedAt),
    links: links.map((l) => ({ ...l, createdAt: l.createdAt.toISOString() })),
    claimed: new URL(request.url).searchParams.get("done") === "claimed",
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "cases.claim_party");
  const { db, clock } = services(context);
  const values = formValues(await readForm(request));
  if (values.intent === "redeem") {
    const parsed = parseForm(redeemSchema, values);
    if (!parsed.ok) return formFailure("redeem", values, parsed.fields, [], 400);
    try {
      const linked = await redeemPartyLinkCode(db, clock, user, parsed.data);
      return redirect(`/my/cases/${linked.caseId}`);
    } catch (error) {
      return refusal(error, "redeem", values, { formFields: ["code"], codeField: { LINK_CODE_INVALID: "code", PARTY_IDENTITY_MISMATCH: "code" } });
    }
  }
  if (values.intent === "claim") {
    const parsed = parseForm(claimSchema, values);
    if (!parsed.ok) return formFailure("claim", values, parsed.fields, [], 400);
    try {
      await claimParty(db, clock, user, parsed.data);
      return redirect("/account/party-link?done=claimed");
    } catch (error) {
      // No such case, or no party of it with this account's identity: one answer, on the form (not a 404 page).
      if (isAppError(error) && error.code === "NOT_FOUND") return formFailure("claim", values, { caseNumber: "partyLink.claimNotFound" }, [], 404);
      if (isAppError(error) && error.code === "CONFLICT") return formFailure("claim", values, { caseNumber: "partyLink.claimExists" }, [], 409);
      return refusal(error, "claim", values, { formFields: ["caseNumber"] });
    }
  }
  return formFailure("none", values, {}, ["validation.invalid"], 400);
}

export default function AccountPartyLink({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { verified, links, claimed } = loaderData;
  const redeemFailure = failureFor(actionData, "redeem");
  const claimFailure = failureFor(actionData, "claim");
  return (
    <div className="narrow-wide">
      <h1>{t("partyLink.title")}</h1>
      {claimed && <SuccessBanner>{t("partyLink.claimed")}</SuccessBanner>}
      <ProblemSummary failure={redeemFailure ?? claimFailure ?? failureFor(actionData, "none")} labels={{ code: "partyLink.code" }} />
      <p className="lead">{t("partyLink.lead")}</p>
      {!verified && (
        <div className="inset-text" data-testid="verify-first">
          <p>{t("partyLink.verifyFirst")}</p>
          <p>
            <Link to="/account/real-name?next=/account/party-link">{t("realName.link")}</Link>
          </p>
        </div>
      )}

      <section aria-labelledby="redeem" className="form-section">
        <h2 id="redeem">{t("partyLink.redeemHeading")}</h2>
        <Form method="post" noValidate className="narrow" data-testid="redeem-form">
          <input type="hidden" name="intent" value="redeem" />
          <Input name="code" label="partyLink.code" hint={t("partyLink.codeHint")} error={redeemFailure?.fields.code} defaultValue={redeemFailure?.values.code} maxLength={40} width="medium" />
          <button type="submit" className="button">
            {t("partyLink.redeemSubmit")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="claim" className="form-section">
        <h2 id="claim">{t("partyLink.claimHeading")}</h2>
        <p>{t("partyLink.claimLead")}</p>
        <Form method="post" noValidate className="narrow" data-testid="claim-form">
          <input type="hidden" name="intent" value="claim" />
          <Input name="caseNumber" hint={t("partyLink.caseNumberHint")} error={claimFailure?.fields.caseNumber} defaultValue={claimFailure?.values.caseNumber} maxLength={40} />
          <button type="submit" className="button button--secondary">
            {t("partyLink.claimSubmit")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="links" className="form-section">
        <h2 id="links">{t("partyLink.yours")}</h2>
        <DataTable
          rows={links}
          rowKey={(l) => l.id}
          testId="own-party-links"
          empty={<p>{t("partyLink.none")}</p>}
          columns={[
            { header: "fields.caseNumber", cell: (l) => (l.status === "confirmed" ? <Link to={`/my/cases/${l.caseId}`}>{l.caseNumber}</Link> : l.caseNumber) },
            { header: "partyLink.court", cell: (l) => l.courtName },
            { header: "fields.role", cell: (l) => `${t(ROLE_LABELS[l.role])} · ${l.partyName}` },
            { header: "partyLink.state", cell: (l) => t(STATUS_LABELS[l.status]) },
            { header: "partyLink.since", cell: (l) => <DateTime iso={l.createdAt} /> },
          ]}
        />
      </section>
    </div>
  );
}

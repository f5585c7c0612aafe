import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/lot.apply";
import { applyForLot, applySchema, getPublicLot, ownRegistration } from "../../auction/index.ts";
import { getAccount } from "../../identity/index.ts";
import { Money, SpecialWarnings } from "../components/auction.tsx";
import { Checkbox, failureFor, ProblemSummary } from "../components/form-fields.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, parseForm, refusal, readForm } from "../lib/forms.server.ts";
import { lotView } from "../lib/lot-view.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("apply.title");

async function loadLot(request: Request, context: Route.LoaderArgs["context"], lotIdParam: string | undefined) {
  const user = requirePageUser(request, context, "lots.bid");
  const lotId = pageId(lotIdParam);
  const { db, clock } = services(context);
  const lot = await getPublicLot(db, clock, lotId);
  if (!lot) throw data({ code: "NOT_FOUND" }, { status: 404 });
  return { user, lot, db, clock };
}

/** Bidders: the special warnings (B9), the deposit due, and the declarations (C7, C11). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { user, lot, db } = await loadLot(request, context, params.lotId);
  // Already applied: the lot page shows the next step.
  if (await ownRegistration(db, user, lot.id)) throw redirect(`/lots/${lot.id}`);
  const view = lotView(lot);
  const account = await getAccount(db, user.id);
  return {
    // C2, C6: the form says at once that the real name must be verified first, rather than after it is sent.
    realNameVerified: Boolean(account?.realNameVerifiedAt),
    lot: { id: view.id, title: view.title, phase: view.phase, depositFen: view.depositFen, caseNumber: view.caseNumber, courtName: view.courtName },
    content: view.announcements[0]?.content ?? null,
  };
}

const FORM_FIELDS = ["acceptWarnings", "declareNotBarred", "housingEligibilityDeclared"] as const;

export async function action({ request, params, context }: Route.ActionArgs) {
  const { user, lot, db, clock } = await loadLot(request, context, params.lotId);
  const values = formValues(await readForm(request));
  const parsed = parseForm(applySchema, values);
  if (!parsed.ok) return formFailure("apply", values, parsed.fields, [], 400);
  try {
    await applyForLot(db, clock, user, lot.id, parsed.data);
  } catch (error) {
    return refusal(error, "apply", values, { formFields: FORM_FIELDS });
  }
  return redirect(`/lots/${lot.id}?applied=1`);
}

export default function Apply({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { lot, content, realNameVerified } = loaderData;
  const failure = failureFor(actionData, "apply");
  const open = lot.phase === "announced" || lot.phase === "bidding";
  return (
    <div className="narrow-wide">
      <p className="breadcrumbs">
        <Link to={`/lots/${lot.id}`}>{lot.title}</Link>
      </p>
      <p className="caption">
        {lot.courtName} · {lot.caseNumber}
      </p>
      <h1>{t("apply.title")}</h1>
      <ProblemSummary failure={failure} />
      {!open ? (
        <p className="inset-text">{t("lot.yours.registrationClosed")}</p>
      ) : !realNameVerified ? (
        <div className="inset-text" data-testid="verify-first">
          <p>{t("realName.needed")}</p>
          <p>
            <Link to={`/account/real-name?next=${encodeURIComponent(`/lots/${lot.id}/apply`)}`}>{t("realName.link")}</Link>
          </p>
        </div>
      ) : (
        <>
          <p className="lead">{t("apply.lead")}</p>
          <div className="inset-text">
            {t("deposit.due")} <Money fen={lot.depositFen} className="money--strong" />
            <br />
            {t("apply.depositNote")}
          </div>
          <SpecialWarnings warnings={content?.warnings ?? []} />
          <Form method="post" noValidate>
            <fieldset className={failure && Object.keys(failure.fields).length > 0 ? "field field--error" : "field"}>
              <legend>{t("apply.declarations")}</legend>
              <p className="hint">{t("apply.declarationsHint")}</p>
              <Checkbox name="acceptWarnings" label="apply.acceptWarnings" error={failure?.fields.acceptWarnings} defaultChecked={failure?.values.acceptWarnings === "on"} />
              <Checkbox name="declareNotBarred" label="apply.declareNotBarred" error={failure?.fields.declareNotBarred} defaultChecked={failure?.values.declareNotBarred === "on"} />
              {content?.housingEligibilityRequired && (
                <Checkbox
                  name="housingEligibilityDeclared"
                  label="apply.housingEligibility"
                  error={failure?.fields.housingEligibilityDeclared}
                  defaultChecked={failure?.values.housingEligibilityDeclared === "on"}
                />
              )}
            </fieldset>
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              {t("apply.submit")}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

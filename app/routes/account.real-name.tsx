import { useTranslation } from "react-i18next";
import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/account.real-name";
import { getAccount, verifyRealName } from "../../identity/index.ts";
import { SuccessBanner, SummaryList } from "../components/auction.tsx";
import { ProblemSummary, failureFor } from "../components/form-fields.tsx";
import { formValues, readForm, refusal } from "../lib/forms.server.ts";
import { requirePageUser, safeNext, services } from "../lib/http.server.ts";
import { formatDateTime } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("realName.title");

/** A bidder has the name and identity number of their account checked by the real-name service (C2, C6). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "account.real_name");
  const account = await getAccount(services(context).db, user.id);
  if (!account || !account.bidderKind) throw new Response(null, { status: 404 });
  const url = new URL(request.url);
  return {
    name: account.legalName,
    identityNumber: account.identityNumber,
    verifiedAt: account.realNameVerifiedAt?.toISOString() ?? null,
    simulated: account.realNameMethod === "simulated",
    simulatedService: services(context).realNameVerifier.simulated,
    done: url.searchParams.get("done") === "1",
    next: safeNext(url.searchParams.get("next"), ""),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "account.real_name");
  const { db, clock, realNameVerifier } = services(context);
  const values = formValues(await readForm(request));
  try {
    await verifyRealName(db, clock, realNameVerifier, user);
  } catch (error) {
    return refusal(error, "verify", values, { formFields: [] });
  }
  // Back where the bidder came from (a lot's application, linking to a case), or to this page's confirmation.
  const next = safeNext(values.next, "");
  return redirect(next || "/account/real-name?done=1");
}

export default function AccountRealName({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const { name, identityNumber, verifiedAt, simulated, simulatedService, done, next } = loaderData;
  return (
    <div className="narrow-wide">
      <h1>{t("realName.title")}</h1>
      {done && <SuccessBanner>{t("realName.verifiedNow")}</SuccessBanner>}
      <ProblemSummary failure={failureFor(actionData, "verify")} />
      <p className="lead">{t("realName.lead")}</p>
      <SummaryList
        testId="real-name"
        rows={[
          ["account.name", name],
          ["account.identityNumber", identityNumber],
          ["realName.state", verifiedAt ? `${t("realName.verified")} ${formatDateTime(verifiedAt, i18n.language)}${simulated ? ` (${t("realName.simulatedMethod")})` : ""}` : t("realName.unverified")],
        ]}
      />
      {!verifiedAt && (
        <Form method="post" className="narrow" data-testid="real-name-form">
          <input type="hidden" name="next" value={next} />
          {simulatedService && (
            <div className="inset-text" data-testid="simulated-notice">
              {t("realName.simulatedNotice")}
            </div>
          )}
          <button type="submit" className="button">
            {t("realName.submit")}
          </button>
        </Form>
      )}
      <p>
        <Link to="/account">{t("proxy.back")}</Link>
      </p>
    </div>
  );
}

import { useTranslation } from "react-i18next";
import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/account.proxy";
import { declareProxy, getAccount, proxySchema, removeProxy } from "../../identity/index.ts";
import { ActionButton, Input, ProblemSummary, TextArea, failureFor } from "../components/form-fields.tsx";
import { formFailure, formValues, parseForm, refusal, readForm } from "../lib/forms.server.ts";
import { requirePageUser, services } from "../lib/http.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("proxy.title");

const FIELDS = ["proxyName", "proxyIdentityNumber", "proxyPowerOfAttorney"] as const;

/** C6: a person declares, changes or removes the proxy who bids for them. Companies have no such page. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "account.proxy");
  const account = await getAccount(services(context).db, user.id);
  if (!account || account.bidderKind !== "person") throw new Response(null, { status: 404 });
  const proxy = account.proxy && { ...account.proxy, confirmedAt: account.proxy.confirmedAt?.toISOString() ?? null };
  return { proxy };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "account.proxy");
  const { db, clock } = services(context);
  const values = formValues(await readForm(request), 600);
  if (values.intent === "remove") {
    try {
      await removeProxy(db, clock, user);
    } catch (error) {
      return refusal(error, "remove", values, { formFields: [] });
    }
    return redirect("/account");
  }
  const parsed = parseForm(proxySchema, values);
  if (!parsed.ok) return formFailure("declare", values, parsed.fields, [], 400);
  try {
    await declareProxy(db, clock, user, parsed.data);
  } catch (error) {
    return refusal(error, "declare", values, { formFields: FIELDS });
  }
  return redirect("/account");
}

export default function AccountProxy({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const failure = failureFor(actionData, "declare");
  const removeFailure = failureFor(actionData, "remove");
  const proxy = loaderData.proxy;
  const typed = failure?.values ?? {};
  return (
    <div>
      <h1>{t("proxy.title")}</h1>
      <p className="lead">{t("proxy.lead")}</p>
      <ProblemSummary failure={failure ?? removeFailure} />
      {proxy && (
        <div className="inset-text" data-testid="current-proxy">
          <p>
            {t("proxy.current")}: {proxy.name} ({proxy.identityMasked}) — {proxy.confirmedAt ? t("proxy.confirmed") : t("proxy.awaiting")}
          </p>
          <ActionButton fields={{ intent: "remove" }} label="proxy.remove" className="button button--warning" />
        </div>
      )}
      <Form method="post" noValidate className="narrow">
        <input type="hidden" name="intent" value="declare" />
        <Input name="proxyName" error={failure?.fields.proxyName} defaultValue={typed.proxyName ?? proxy?.name} maxLength={100} hint={t("proxy.hint.proxyName")} />
        <Input
          name="proxyIdentityNumber"
          error={failure?.fields.proxyIdentityNumber}
          defaultValue={typed.proxyIdentityNumber}
          maxLength={18}
          width="medium"
          hint={t("proxy.hint.proxyIdentityNumber")}
        />
        <TextArea
          name="proxyPowerOfAttorney"
          error={failure?.fields.proxyPowerOfAttorney}
          defaultValue={typed.proxyPowerOfAttorney ?? proxy?.powerOfAttorney}
          maxLength={500}
          hint={t("proxy.hint.proxyPowerOfAttorney")}
        />
        <button type="submit" className="button">
          {t("proxy.submitDeclare")}
        </button>
      </Form>
      <p>
        <Link to="/account">{t("proxy.back")}</Link>
      </p>
    </div>
  );
}

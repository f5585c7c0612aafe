import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/register";
import { isAppError } from "../../core/errors.ts";
import { parseInput } from "../../core/validation.ts";
import { registerBidder, registerBidderSchema } from "../../identity/index.ts";
import { Input, ProblemSummary } from "../components/form-fields.tsx";
import { currentUser, services } from "../lib/http.server.ts";
import { requestInfoContext } from "../services.ts";
import { readForm } from "../lib/forms.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("register.title");

export function loader({ context }: Route.LoaderArgs) {
  if (currentUser(context)) throw redirect("/account");
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const parsed = parseInput(registerBidderSchema, form);
  // Echo back what was typed (never the password) so the person corrects rather than retypes.
  const values = { kind: String(form.get("kind") ?? "person"), username: str(form.get("username")), legalName: str(form.get("legalName")), identityNumber: str(form.get("identityNumber")), phone: str(form.get("phone")) };
  if (!parsed.ok) return data({ fields: parsed.fields, formError: undefined, values }, { status: 400 });

  const { db, clock } = services(context);
  try {
    await registerBidder(db, clock, { ...parsed.data, ip: context.get(requestInfoContext).ip });
  } catch (error) {
    if (isAppError(error)) return data({ fields: error.fields ?? {}, formError: error.fields ? undefined : `errors.${error.code}`, values }, { status: error.status });
    throw error;
  }
  // The same answer whether an account was made or the identity number already had one (ADR 014): the person
  // signs in with what they chose, and the holder of an existing account finds a notice on their account page.
  return redirect("/sign-in?registered");
}

const str = (v: FormDataEntryValue | null) => (typeof v === "string" ? v.slice(0, 200) : "");

export default function Register({ actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const errors = actionData?.fields;
  const values = actionData?.values;
  return (
    <div className="narrow">
      <h1>{t("register.title")}</h1>
      <p className="lead">{t("register.lead")}</p>
      <ProblemSummary failure={errors && { fields: errors, messages: actionData?.formError ? [actionData.formError] : [] }} />
      <Form method="post" noValidate>
        <fieldset className="field">
          <legend>{t("fields.kind")}</legend>
          {errors?.kind && <p className="field-error">{t(errors.kind)}</p>}
          <label className="radio">
            <input type="radio" id="kind" name="kind" value="person" defaultChecked={values?.kind !== "company"} /> {t("register.kind.person")}
          </label>
          <label className="radio">
            <input type="radio" name="kind" value="company" defaultChecked={values?.kind === "company"} /> {t("register.kind.company")}
          </label>
        </fieldset>
        <Input name="legalName" error={errors?.legalName} defaultValue={values?.legalName} autoComplete="name" maxLength={100} hint={t("register.hint.legalName")} />
        <Input name="identityNumber" error={errors?.identityNumber} defaultValue={values?.identityNumber} maxLength={18} hint={t("register.hint.identityNumber")} />
        <Input name="phone" type="tel" inputMode="tel" error={errors?.phone} defaultValue={values?.phone} autoComplete="tel" maxLength={11} />
        <Input name="username" error={errors?.username} defaultValue={values?.username} autoComplete="username" maxLength={32} hint={t("register.hint.username")} />
        <Input name="password" type="password" error={errors?.password} autoComplete="new-password" maxLength={128} hint={t("register.hint.password")} />
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("register.submit")}
        </button>
      </Form>
      <p>
        {t("register.haveAccount")} <Link to="/sign-in">{t("nav.signIn")}</Link>
      </p>
    </div>
  );
}

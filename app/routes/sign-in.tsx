import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation, useSearchParams } from "react-router";
import type { Route } from "./+types/sign-in";
import { isAppError } from "../../core/errors.ts";
import { parseInput } from "../../core/validation.ts";
import { sealToken, signIn, signInSchema } from "../../identity/index.ts";
import { Input, ProblemSummary } from "../components/form-fields.tsx";
import { currentUser, safeNext, services, sessionCookie } from "../lib/http.server.ts";
import { requestInfoContext } from "../services.ts";

export const meta: Route.MetaFunction = () => [{ title: "登录 Sign in" }];

export function loader({ request, context }: Route.LoaderArgs) {
  if (currentUser(context)) throw redirect(safeNext(new URL(request.url).searchParams.get("next")));
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const username = typeof form.get("username") === "string" ? String(form.get("username")).slice(0, 64) : "";
  const parsed = parseInput(signInSchema, form);
  if (!parsed.ok) return data({ fields: parsed.fields, formError: undefined, username }, { status: 400 });

  const { db, clock, sessionSecret } = services(context);
  try {
    const session = await signIn(db, clock, { ...parsed.data, ip: context.get(requestInfoContext).ip });
    return redirect(safeNext(form.get("next")), { headers: { "Set-Cookie": sessionCookie(request, sealToken(session.token, sessionSecret)) } });
  } catch (error) {
    // One message for a wrong username or password: which one was wrong is not disclosed.
    if (isAppError(error)) return data({ fields: undefined, formError: `errors.${error.code}`, username }, { status: error.status });
    throw error;
  }
}

export default function SignIn({ actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  return (
    <div className="narrow">
      <h1>{t("signIn.title")}</h1>
      <ProblemSummary failure={actionData && { fields: actionData.fields ?? {}, messages: actionData.formError ? [actionData.formError] : [] }} />
      <Form method="post" noValidate>
        <input type="hidden" name="next" value={params.get("next") ?? ""} />
        <Input name="username" error={actionData?.fields?.username} defaultValue={actionData?.username} autoComplete="username" maxLength={32} />
        <Input name="password" type="password" error={actionData?.fields?.password} autoComplete="current-password" maxLength={128} />
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("signIn.submit")}
        </button>
      </Form>
      <p>
        {t("signIn.noAccount")} <Link to="/register">{t("nav.register")}</Link>
      </p>
    </div>
  );
}

import { serialize } from "cookie";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation, useSearchParams } from "react-router";
import type { Route } from "./+types/sign-in";
import { isAppError } from "../../core/errors.ts";
import { parseInput } from "../../core/validation.ts";
import { KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_TTL_MS, sealToken, signIn, signInSchema } from "../../identity/index.ts";
import { Input, ProblemSummary } from "../components/form-fields.tsx";
import { cookiesOf, currentUser, safeNext, services, sessionCookie } from "../lib/http.server.ts";
import { requestInfoContext } from "../services.ts";
import { readForm } from "../lib/forms.server.ts";
import { homeOf } from "../lib/home.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("signIn.title");

// Signed in, each role lands where its work starts (app/lib/home.ts), unless a page of this site sent them here.
export function loader({ request, context }: Route.LoaderArgs) {
  const user = currentUser(context);
  if (user) throw redirect(safeNext(new URL(request.url).searchParams.get("next"), homeOf(user.role)));
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const username = typeof form.get("username") === "string" ? String(form.get("username")).slice(0, 64) : "";
  const parsed = parseInput(signInSchema, form);
  if (!parsed.ok) return data({ fields: parsed.fields, formError: undefined, username }, { status: 400 });

  const { db, clock, sessionSecret } = services(context);
  try {
    const ip = context.get(requestInfoContext).ip;
    const session = await signIn(db, clock, { ...parsed.data, ip, device: cookiesOf(request)[KNOWN_DEVICE_COOKIE], secret: sessionSecret });
    const headers = new Headers();
    headers.append("Set-Cookie", sessionCookie(request, sealToken(session.token, sessionSecret)));
    headers.append("Set-Cookie", knownDeviceCookie(request, session.device));
    return redirect(safeNext(form.get("next"), homeOf(session.role)), { headers });
  } catch (error) {
    // One message for a wrong username or password: which one was wrong is not disclosed.
    if (isAppError(error)) return data({ fields: undefined, formError: `errors.${error.code}`, username }, { status: error.status });
    throw error;
  }
}

/** Marks this browser a known device of the account, so a lockout of unknown devices does not lock it out (ADR 014). */
function knownDeviceCookie(request: Request, value: string): string {
  const secure = new URL(request.url).protocol === "https:";
  return serialize(KNOWN_DEVICE_COOKIE, value, { httpOnly: true, sameSite: "lax", secure, path: "/sign-in", maxAge: Math.floor(KNOWN_DEVICE_TTL_MS / 1000) });
}

export default function SignIn({ actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  return (
    <div className="narrow">
      <h1>{t("signIn.title")}</h1>
      {params.get("registered") !== null && (
        <p className="inset-text" role="status" data-testid="registration-received">
          {t("register.received")}
        </p>
      )}
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

import { useTranslation } from "react-i18next";
import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/notifications";
import { accountNoticesOf, emailSchema, getAccount, markNoticesRead, pendingEmailCount, setAccountEmail } from "../../identity/index.ts";
import { lotTitles } from "../../auction/index.ts";
import { Input, ProblemSummary, failureFor } from "../components/form-fields.tsx";
import { formFailure, formValues, parseForm, readForm } from "../lib/forms.server.ts";
import { requirePageUser, services } from "../lib/http.server.ts";
import { formatDateTime } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("notices.title");

/** The notification centre: the account's notices, newest first, unread ones marked; and where they are e-mailed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "account.view");
  const { db, emailDelivery } = services(context);
  const notices = await accountNoticesOf(db, user.id);
  const titles = await lotTitles(db, [...new Set(notices.flatMap((n) => (n.lotId ? [n.lotId] : [])))]);
  const account = await getAccount(db, user.id);
  return {
    notices: notices.map((n) => ({ id: n.id, kind: n.kind, lotId: n.lotId, lotTitle: n.lotId ? (titles.get(n.lotId) ?? null) : null, createdAt: n.createdAt.toISOString(), unread: n.readAt === null })),
    email: account?.email ?? null,
    emailDelivery,
    waitingEmails: emailDelivery ? 0 : await pendingEmailCount(db, user.id),
    hasPhone: Boolean(account?.phone),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "account.view");
  const { db, clock } = services(context);
  const values = formValues(await readForm(request), 300);
  if (values.intent === "read") {
    await markNoticesRead(db, clock, user.id);
    return redirect("/notifications");
  }
  const parsed = parseForm(emailSchema, values);
  if (!parsed.ok) return formFailure("email", values, parsed.fields, [], 400);
  await setAccountEmail(db, clock, user, parsed.data);
  return redirect("/notifications");
}

export default function Notifications({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const { notices } = loaderData;
  const failure = failureFor(actionData, "email");
  const unread = notices.filter((n) => n.unread).length;
  return (
    <div>
      <h1>{t("notices.title")}</h1>
      {notices.length === 0 ? (
        <p>{t("notices.none")}</p>
      ) : (
        <>
          {unread > 0 && (
            <Form method="post">
              <input type="hidden" name="intent" value="read" />
              <button type="submit" className="button button--secondary">
                {t("notices.markRead")}
              </button>
            </Form>
          )}
          <ul className="notice-list" data-testid="notice-list">
            {notices.map((n) => (
              <li key={n.id} className={n.unread ? "notice notice--unread" : "notice"} data-notice={n.kind} data-unread={n.unread || undefined}>
                {n.unread && <span className="tag">{t("notices.new")}</span>} <time dateTime={n.createdAt}>{formatDateTime(n.createdAt, i18n.language)}</time> {t(`account.notice.${n.kind}`)}
                {n.lotId && (
                  <>
                    {" "}
                    <Link to={`/lots/${n.lotId}`}>{n.lotTitle ?? t("account.noticeLot")}</Link>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <section data-testid="notice-channels">
        <h2>{t("notices.channels")}</h2>
        <ProblemSummary failure={failure} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="email" />
          <Input name="email" type="email" label="notices.email" hint={t("notices.emailHint")} defaultValue={failure?.values.email ?? loaderData.email ?? ""} error={failure?.fields.email} autoComplete="email" />
          <button type="submit" className="button">
            {t("notices.saveEmail")}
          </button>
        </Form>
        {!loaderData.emailDelivery && (
          <div className="inset-text" data-testid="mail-outbox">
            <p>{t("notices.noMailServer")}</p>
            <p>
              {t("notices.waitingEmails")}: {loaderData.waitingEmails}
            </p>
          </div>
        )}
        {loaderData.hasPhone && <p className="hint">{t("notices.smsSimulated")}</p>}
      </section>
    </div>
  );
}

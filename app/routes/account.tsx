import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/account";
import { can, getAccount, listOpenSessions, type SessionUser } from "../../identity/index.ts";
import { SummaryList } from "../components/auction.tsx";
import { SessionList } from "../components/session-list.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { formatDateTime } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("account.title");

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "account.view");
  const account = await getAccount(services(context).db, user.id);
  if (!account) throw new Response(null, { status: 404 });
  const { realNameVerifiedAt, realNameMethod, ...details } = account;
  const proxy = details.proxy && { ...details.proxy, confirmedAt: details.proxy.confirmedAt?.toISOString() ?? null };
  const realName = { verifiedAt: realNameVerifiedAt?.toISOString() ?? null, simulated: realNameMethod === "simulated" };
  return {
    account: { ...details, createdAt: details.createdAt.toISOString(), proxy },
    realName: can(user, "account.real_name") && details.bidderKind ? realName : null,
    canLinkParty: can(user, "cases.claim_party"),
    canManageTokens: can(user, "api.tokens"),
    canDeclareProxy: can(user, "account.proxy") && details.bidderKind === "person",
    sessions: await sessionRows(context, user),
  };
}

async function sessionRows(context: Route.LoaderArgs["context"], user: SessionUser) {
  const { db, clock, sessionIdleMs } = services(context);
  const open = await listOpenSessions(db, clock, user, { idleMs: sessionIdleMs });
  return open.map((s) => ({ ...s, createdAt: s.createdAt.toISOString(), lastUsedAt: s.lastUsedAt.toISOString() }));
}

export default function Account({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const a = loaderData.account;
  const rows: [string, string | null][] = [
    ["account.username", a.username],
    ["account.name", a.legalName ?? a.displayName],
    ["account.role", t(`roles.${a.role}`)],
    ["account.court", a.courtName],
    ["account.agency", a.agencyName],
    ["account.kind", a.bidderKind && t(`register.kind.${a.bidderKind}`)],
    ["account.identityNumber", a.identityNumber],
    ["account.phone", a.phone],
    ["account.createdAt", formatDateTime(a.createdAt, i18n.language)],
  ];
  return (
    <div>
      <h1>{t("account.title")}</h1>
      <p>
        <Link to="/notifications">{t("notices.title")}</Link>
      </p>
      <SummaryList rows={rows} testId="account-details" />
      {loaderData.realName && (
        <section data-testid="account-real-name">
          <h2>{t("realName.heading")}</h2>
          <p>
            {loaderData.realName.verifiedAt
              ? `${t("realName.verified")} ${formatDateTime(loaderData.realName.verifiedAt, i18n.language)}${loaderData.realName.simulated ? ` (${t("realName.simulatedMethod")})` : ""}`
              : t("realName.unverified")}
          </p>
          {!loaderData.realName.verifiedAt && (
            <p>
              <Link to="/account/real-name">{t("realName.link")}</Link>
            </p>
          )}
        </section>
      )}
      {loaderData.canLinkParty && (
        <p>
          <Link to="/account/party-link">{t("partyLink.link")}</Link>
        </p>
      )}
      {loaderData.canDeclareProxy && (
        <section data-testid="account-proxy">
          <h2>{t("proxy.heading")}</h2>
          {a.proxy ? (
            <dl className="summary-list">
              <div className="summary-list__row">
                <dt>{t("proxy.name")}</dt>
                <dd>{a.proxy.name}</dd>
              </div>
              <div className="summary-list__row">
                <dt>{t("proxy.identityNumber")}</dt>
                <dd>{a.proxy.identityMasked}</dd>
              </div>
              <div className="summary-list__row">
                <dt>{t("proxy.powerOfAttorney")}</dt>
                <dd>{a.proxy.powerOfAttorney}</dd>
              </div>
              <div className="summary-list__row">
                <dt>{t("proxy.state")}</dt>
                <dd data-testid="proxy-state">
                  {a.proxy.confirmedAt ? `${t("proxy.confirmed")} ${formatDateTime(a.proxy.confirmedAt, i18n.language)}` : t("proxy.awaiting")}
                </dd>
              </div>
            </dl>
          ) : (
            <p>{t("proxy.noneSelf")}</p>
          )}
          <p>
            <Link to="/account/proxy">{a.proxy ? t("proxy.changeLink") : t("proxy.declareLink")}</Link>
          </p>
        </section>
      )}
      <SessionList sessions={loaderData.sessions} />
      {loaderData.canManageTokens && (
        <p>
          <Link to="/account/tokens">{t("tokens.link")}</Link>
        </p>
      )}
    </div>
  );
}

import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/account";
import { can, getAccount } from "../../identity/index.ts";
import { requirePageUser, services } from "../lib/http.server.ts";
import { formatDateTime } from "../lib/format.ts";

export const meta: Route.MetaFunction = () => [{ title: "我的账户 My account" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "account.view");
  const account = await getAccount(services(context).db, user.id);
  if (!account) throw new Response(null, { status: 404 });
  return { account: { ...account, createdAt: account.createdAt.toISOString() }, canManageTokens: can(user, "api.tokens") };
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
      <dl className="summary-list" data-testid="account-details">
        {rows
          .filter(([, value]) => value)
          .map(([key, value]) => (
            <div className="summary-list__row" key={key}>
              <dt>{t(key)}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {loaderData.canManageTokens && (
        <p>
          <Link to="/account/tokens">{t("tokens.link")}</Link>
        </p>
      )}
    </div>
  );
}

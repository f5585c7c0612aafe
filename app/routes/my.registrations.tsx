import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/my.registrations";
import { ownRegistrations } from "../../auction/index.ts";
import { DateTime, Money } from "../components/auction.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";

export const meta: Route.MetaFunction = () => [{ title: "我的报名 My registrations · 人民法院司法拍卖与评估平台" }];

/** Bidders: the lots they registered for, with their code and what to do next. Only they see this (P4). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "lots.bid");
  return { registrations: toPlain(await ownRegistrations(services(context).db, user)) };
}

export default function MyRegistrations({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { registrations } = loaderData;
  return (
    <div>
      <h1>{t("my.registrations.title")}</h1>
      {registrations.length === 0 ? (
        <p>
          {t("my.registrations.none")} <Link to="/lots">{t("nav.lots")}</Link>
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="my-registrations">
            <thead>
              <tr>
                <th scope="col">{t("my.lot")}</th>
                <th scope="col">{t("my.registrations.status")}</th>
                <th scope="col">{t("lot.yours.code")}</th>
                <th scope="col" className="numeric">
                  {t("deposit.due")}
                </th>
                <th scope="col">{t("lot.time.closesAt")}</th>
              </tr>
            </thead>
            <tbody>
              {registrations.map((r) => (
                <tr key={r.lotId} data-lot-id={r.lotId}>
                  <td>
                    <Link to={`/lots/${r.lotId}`}>{r.lotTitle}</Link>
                  </td>
                  <td>
                    {t(`registrationStatus.${r.status}`)}
                    {r.won && r.lotStatus === "sold" && <span className="tag tag--sold">{t("my.registrations.won")}</span>}
                  </td>
                  <td>{r.bidderCode ? <span className="bidder-code">{r.bidderCode}</span> : "—"}</td>
                  <td className="numeric">
                    <Money fen={r.depositDueFen} />
                  </td>
                  <td>
                    <DateTime iso={r.closesAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

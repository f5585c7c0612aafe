import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/my.bids";
import { ownBids } from "../../auction/index.ts";
import { DateTime, Money } from "../components/auction.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";

export const meta: Route.MetaFunction = () => [{ title: "我的出价 My bids · 人民法院司法拍卖与评估平台" }];

/** Bidders: their own accepted bids across lots, newest first. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "lots.bid");
  return { bids: toPlain(await ownBids(services(context).db, user.id)) };
}

export default function MyBids({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { bids } = loaderData;
  return (
    <div>
      <h1>{t("my.bids.title")}</h1>
      {bids.length === 0 ? (
        <p>{t("my.bids.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="my-bids">
            <thead>
              <tr>
                <th scope="col">{t("my.lot")}</th>
                <th scope="col">{t("lot.bids.code")}</th>
                <th scope="col" className="numeric">
                  {t("lot.bids.amount")}
                </th>
                <th scope="col">{t("lot.bids.time")}</th>
              </tr>
            </thead>
            <tbody>
              {bids.map((b) => (
                <tr key={`${b.lotId}-${b.placedAt}`}>
                  <td>
                    <Link to={`/lots/${b.lotId}`}>{b.lotTitle}</Link>
                  </td>
                  <td>
                    <span className="bidder-code">{b.bidderCode}</span>
                    {b.leading && <span className="tag tag--leading">{t("my.bids.highest")}</span>}
                  </td>
                  <td className="numeric">
                    <Money fen={b.amountFen} />
                  </td>
                  <td>
                    <DateTime iso={b.placedAt} />
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

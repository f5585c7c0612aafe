import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/my.bids";
import { ownBids } from "../../auction/index.ts";
import { DateTime, Money } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
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
      <DataTable
        rows={bids}
        rowKey={(b) => `${b.lotId}-${b.placedAt}`}
        testId="my-bids"
        empty={<p>{t("my.bids.none")}</p>}
        columns={[
          { header: "my.lot", cell: (b) => <Link to={`/lots/${b.lotId}`}>{b.lotTitle}</Link> },
          {
            header: "lot.bids.code",
            cell: (b) => (
              <>
                <span className="bidder-code">{b.bidderCode}</span>
                {b.leading && <span className="tag tag--leading">{t("my.bids.highest")}</span>}
              </>
            ),
          },
          { header: "lot.bids.amount", numeric: true, cell: (b) => <Money fen={b.amountFen} /> },
          { header: "lot.bids.time", cell: (b) => <DateTime iso={b.placedAt} /> },
        ]}
      />
    </div>
  );
}

import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/my.bids";
import { ownBids } from "../../auction/index.ts";
import { DateTime, Money } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("my.bids.title");

/** Bidders: their own accepted bids across lots, newest first, each lot's newest with where the bidder stands. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "lots.bid");
  const rows = await ownBids(services(context).db, user.id);
  const leads = new Set(rows.filter((b) => b.leading).map((b) => b.lotId));
  const seen = new Set<string>();
  const bids = rows.map((b) => {
    const newest = !seen.has(b.lotId);
    seen.add(b.lotId);
    return { ...b, standing: newest ? standing(b.lotStatus, leads.has(b.lotId)) : null };
  });
  return { bids: toPlain(bids) };
}

/** Leading or outbid while the lot is open; won or lost once it is sold; otherwise the lot has ended without a sale. */
function standing(status: string, leads: boolean): "leading" | "outbid" | "won" | "lost" | "ended" {
  if (status === "published" || status === "suspended" || status === "stayed") return leads ? "leading" : "outbid";
  if (status === "sold") return leads ? "won" : "lost";
  return "ended";
}

const STANDING_TAGS = { leading: "leading", outbid: "outbid", won: "sold", lost: "failed", ended: "withdrawn" } as const;
const STANDING_LABELS = { leading: "my.bids.leading", outbid: "my.bids.outbid", won: "my.bids.won", lost: "my.bids.lost", ended: "my.bids.ended" } as const;

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
          { header: "my.bids.standing", cell: (b) => b.standing && <span className={`tag tag--${STANDING_TAGS[b.standing]}`} data-standing={b.standing}>{t(STANDING_LABELS[b.standing])}</span> },
          { header: "lot.bids.amount", numeric: true, cell: (b) => <Money fen={b.amountFen} /> },
          { header: "lot.bids.time", cell: (b) => <DateTime iso={b.placedAt} /> },
        ]}
      />
    </div>
  );
}

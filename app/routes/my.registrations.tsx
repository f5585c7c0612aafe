import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/my.registrations";
import { ownRegistrations } from "../../auction/index.ts";
import { DateTime, Money } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("my.registrations.title");

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
      <DataTable
        rows={registrations}
        rowKey={(r) => r.lotId}
        rowData={(r) => ({ "data-lot-id": r.lotId })}
        testId="my-registrations"
        empty={
          <p>
            {t("my.registrations.none")} <Link to="/lots">{t("nav.lots")}</Link>
          </p>
        }
        columns={[
          { header: "my.lot", cell: (r) => <Link to={`/lots/${r.lotId}`}>{r.lotTitle}</Link> },
          {
            header: "my.registrations.status",
            cell: (r) => (
              <>
                {t(`registrationStatus.${r.status}`)}
                {r.won && r.lotStatus === "sold" && <span className="tag tag--sold">{t("my.registrations.won")}</span>}
              </>
            ),
          },
          { header: "lot.yours.code", cell: (r) => (r.bidderCode ? <span className="bidder-code">{r.bidderCode}</span> : "—") },
          { header: "deposit.due", numeric: true, cell: (r) => <Money fen={r.depositDueFen} /> },
          { header: "lot.time.closesAt", cell: (r) => <DateTime iso={r.closesAt} /> },
        ]}
      />
    </div>
  );
}

import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/my.payments";
import { ownMoney } from "../../escrow/index.ts";
import { Money } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { EndOfDay } from "../components/lot-money.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("myPayments.title");

/** Bidders: per lot, where their deposit stands and the balance they owe, with its deadline and reminder (F1, F3, P3). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "lots.bid");
  const { db, paymentGateway } = services(context);
  return { lots: toPlain(await ownMoney(db, user)), simulated: paymentGateway.simulated };
}

export default function MyPayments({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { lots, simulated } = loaderData;
  const reminders = lots.filter((l) => l.balance?.status === "due" && l.balance.remindedAt);
  return (
    <div>
      <h1>{t("myPayments.title")}</h1>
      {simulated && <p className="demo-notice">{t("deposit.simulatedNotice")}</p>}
      {reminders.map((l) => (
        <p className="notice" role="status" key={l.lotId} data-testid="balance-reminder">
          {t("myPayments.reminderNamed", { name: l.lotTitle })} <EndOfDay iso={l.balance!.dueAt} />
        </p>
      ))}
      <DataTable
        rows={lots}
        rowKey={(l) => l.lotId}
        rowData={(l) => ({ "data-lot-id": l.lotId, "data-deposit": l.deposit, "data-balance": l.balance?.status })}
        testId="my-payments"
        empty={<p>{t("myPayments.none")}</p>}
        columns={[
          { header: "my.lot", cell: (l) => <Link to={`/lots/${l.lotId}`}>{l.lotTitle}</Link> },
          { header: "myPayments.deposit", numeric: true, cell: (l) => <Money fen={l.depositFen} /> },
          { header: "myPayments.depositState", cell: (l) => t(`myPayments.state.${l.deposit}`) },
          { header: "myPayments.balance", numeric: true, cell: (l) => (l.balance ? <Money fen={l.balance.amountFen} /> : "—") },
          {
            header: "myPayments.dueBy",
            cell: (l) => (l.balance ? <>{l.balance.status === "due" ? <EndOfDay iso={l.balance.dueAt} /> : t(`myPayments.balanceStatus.${l.balance.status}`)}</> : "—"),
          },
          {
            header: "myPayments.action",
            className: "actions",
            cell: (l) =>
              l.balance?.status === "due" ? (
                <Link className="button" to={`/lots/${l.lotId}/balance`} data-testid="pay-balance">
                  {t(l.balancePaying ? "deposit.continue" : "myPayments.payBalance")}
                </Link>
              ) : null,
          },
        ]}
      />
    </div>
  );
}

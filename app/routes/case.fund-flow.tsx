import { useTranslation } from "react-i18next";
import type { Route } from "./+types/case.fund-flow";
import { caseFundFlow } from "../../escrow/index.ts";
import { DateTime, Money } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { pageId } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("fundFlow.title", (d) => d.flow.caseNumber);

/**
 * The case's fund flow (全程留痕、全程公开; H5, H6, P14), for the case's court and its parties: every movement of the
 * case's money, each account's totals and the check that they sum to zero. Bidders are never named (P4).
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  // Signed in first; the use case then lets in only the case's court and its linked parties.
  const user = requirePageUser(request, context, "account.view");
  const { db, clock } = services(context);
  try {
    return { flow: toPlain(await caseFundFlow(db, clock, user, pageId(params.caseId))) };
  } catch (error) {
    throw asPageError(error);
  }
}

function Who({ role, name }: { role: string; name: string | null }) {
  const { t } = useTranslation();
  return (
    <span data-role={role}>
      {t(`fundFlow.role.${role}`)}
      {name ? ` ${name}` : ""}
    </span>
  );
}

export default function FundFlow({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { flow } = loaderData;
  return (
    <div>
      <p className="caption">{flow.caseNumber}</p>
      <h1>{t("fundFlow.title")}</h1>
      <p>{t("fundFlow.lead")}</p>
      {flow.depositsWithheld && <p className="inset-text">{t("fundFlow.withheld")}</p>}
      <h2>{t("fundFlow.movements")}</h2>
      <DataTable
        rows={flow.movements}
        rowKey={(m) => m.id}
        rowData={(m) => ({ "data-state": m.state, "data-purpose": m.purpose })}
        testId="fund-movements"
        empty={<p>{t("fundFlow.none")}</p>}
        columns={[
          { header: "fundFlow.col.time", cell: (m) => <DateTime iso={m.at} seconds /> },
          { header: "fundFlow.col.purpose", cell: (m) => t(`fundFlow.purpose.${m.purpose}`) },
          { header: "fundFlow.col.from", cell: (m) => <Who {...m.from} /> },
          { header: "fundFlow.col.to", cell: (m) => <Who {...m.to} /> },
          { header: "fundFlow.col.amount", numeric: true, cell: (m) => <Money fen={m.amountFen} /> },
          { header: "fundFlow.col.state", cell: (m) => t(`fundFlow.state.${m.state}`) },
        ]}
      />
      <h2>{t("fundFlow.accounts")}</h2>
      <DataTable
        rows={flow.accounts}
        rowKey={(a) => a.accountId}
        rowData={(a) => ({ "data-role": a.role })}
        testId="fund-accounts"
        columns={[
          { header: "fundFlow.col.account", cell: (a) => <Who {...a} /> },
          { header: "fundFlow.col.in", numeric: true, cell: (a) => <Money fen={a.inFen} /> },
          { header: "fundFlow.col.out", numeric: true, cell: (a) => <Money fen={a.outFen} /> },
          { header: "fundFlow.col.inProgress", numeric: true, cell: (a) => <Money fen={a.inProgressFen} /> },
          { header: "fundFlow.col.balance", numeric: true, cell: (a) => <Money fen={a.balanceFen} /> },
        ]}
      />
      <p className={flow.check.balanced && flow.check.ledgerAgrees ? "notice" : "error-message"} data-testid="fund-check">
        {t("fundFlow.check.sum")} <Money fen={flow.check.sumFen} /> — {t(flow.check.balanced && flow.check.ledgerAgrees ? "fundFlow.check.ok" : "fundFlow.check.wrong")}
      </p>
    </div>
  );
}

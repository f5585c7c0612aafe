import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/agency";
import { Due } from "../components/auction.tsx";
import { CommissionStatusTag } from "../components/appraisal-portal.tsx";
import { listAgencyCommissions } from "../../appraisal/index.ts";
import { DataTable } from "../components/data-table.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";

const DUE: Record<string, string> = { offered: "agencyPortal.due.offered", accepted: "agencyPortal.due.accepted", overdue: "agencyPortal.due.overdue" };

export const meta: Route.MetaFunction = () => [{ title: "评估委托 Commissions · 人民法院司法拍卖与评估平台" }];

/** Agency members: their agency's appraisal commissions, the most pressing deadline first (A14–A16). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "agency.work");
  try {
    return { commissions: toPlain(await listAgencyCommissions(services(context).db, user)) };
  } catch (error) {
    throw asPageError(error);
  }
}

export default function AgencyCommissions({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { commissions } = loaderData;
  return (
    <div>
      <h1>{t("agencyPortal.title")}</h1>
      <p className="lead">{t("agencyPortal.lead")}</p>
      <p>
        <Link to="/agency/conflicts">{t("agencyPortal.conflicts.link")}</Link>
      </p>
      <DataTable
        rows={commissions}
        rowKey={(c) => c.id}
        rowData={(c) => ({ "data-commission-id": c.id })}
        caption="agencyPortal.title"
        testId="agency-commissions"
        empty={<p data-testid="no-commissions">{t("agencyPortal.none")}</p>}
        columns={[
          {
            header: "agencyPortal.asset",
            cell: (c) => (
              <>
                <Link to={`/agency/commissions/${c.id}`}>{c.assetTitle}</Link>
                <br />
                <span className="hint">
                  {t(`category.${c.assetCategory}`)} · {c.regionCode} · {c.courtName}
                </span>
              </>
            ),
          },
          { header: "agencyPortal.caseNumber", cell: (c) => c.caseNumber },
          { header: "agencyPortal.rank", numeric: true, cell: (c) => c.rank },
          {
            header: "agencyPortal.status",
            cell: (c) => (
              <>
                <CommissionStatusTag status={c.status} />
                {c.procedureStatus === "suspended" && <span className="tag tag--draft">{t("agencyPortal.suspended")}</span>}
              </>
            ),
          },
          {
            header: "agencyPortal.nextDeadline",
            cell: (c) =>
              c.dueAt ? (
                <>
                  {DUE[c.status] ? t(DUE[c.status]!) : ""} <Due iso={c.dueAt} />
                </>
              ) : (
                "—"
              ),
          },
        ]}
      />
    </div>
  );
}

import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/agency";
import { DateTime } from "../components/auction.tsx";
import { CommissionStatusTag } from "../components/appraisal-portal.tsx";
import { listAgencyCommissions } from "../../appraisal/index.ts";
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
      {commissions.length === 0 ? (
        <p data-testid="no-commissions">{t("agencyPortal.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="agency-commissions">
            <caption className="visually-hidden">{t("agencyPortal.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("agencyPortal.asset")}</th>
                <th scope="col">{t("agencyPortal.caseNumber")}</th>
                <th scope="col">{t("agencyPortal.rank")}</th>
                <th scope="col">{t("agencyPortal.status")}</th>
                <th scope="col">{t("agencyPortal.nextDeadline")}</th>
              </tr>
            </thead>
            <tbody>
              {commissions.map((c) => (
                <tr key={c.id} data-commission-id={c.id}>
                  <td>
                    <Link to={`/agency/commissions/${c.id}`}>{c.assetTitle}</Link>
                    <br />
                    <span className="hint">
                      {t(`category.${c.assetCategory}`)} · {c.regionCode} · {c.courtName}
                    </span>
                  </td>
                  <td>{c.caseNumber}</td>
                  <td className="numeric">{c.rank}</td>
                  <td>
                    <CommissionStatusTag status={c.status} />
                    {c.procedureStatus === "suspended" && <span className="tag tag--draft">{t("agencyPortal.suspended")}</span>}
                  </td>
                  <td>
                    {c.dueAt ? (
                      <>
                        {DUE[c.status] ? t(DUE[c.status]!) : ""} <DateTime iso={c.dueAt} />
                      </>
                    ) : (
                      "—"
                    )}
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

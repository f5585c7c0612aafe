import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/my.cases";
import { DateTime } from "../components/auction.tsx";
import { partyCases } from "../../appraisal/index.ts";
import { requirePageUser, services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";

export const meta: Route.MetaFunction = () => [{ title: "我的案件 My cases · 人民法院司法拍卖与评估平台" }];

/** Parties: the cases in which the signed-in account stands for the applicant or the debtor (by its real-name identity number). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "cases.party");
  return { cases: toPlain(await partyCases(services(context).db, user)) };
}

export default function MyCases({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { cases } = loaderData;
  return (
    <div>
      <h1>{t("appraisal.my.title")}</h1>
      <p className="lead">{t("appraisal.my.lead")}</p>
      {cases.length === 0 ? (
        <p data-testid="no-cases">{t("appraisal.my.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="my-cases">
            <thead>
              <tr>
                <th scope="col">{t("appraisal.my.case")}</th>
                <th scope="col">{t("appraisal.my.court")}</th>
                <th scope="col">{t("appraisal.my.role")}</th>
                <th scope="col" className="numeric">
                  {t("appraisal.my.running")}
                </th>
                <th scope="col">{t("appraisal.my.registeredAt")}</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.caseId} data-case-id={c.caseId}>
                  <td>
                    <Link to={`/my/cases/${c.caseId}`}>{c.caseNumber}</Link>
                  </td>
                  <td>{c.courtName}</td>
                  <td>{t(c.role === "applicant" ? "partyRole.applicant" : "partyRole.debtor")}</td>
                  <td className="numeric">{c.running}</td>
                  <td>
                    <DateTime iso={c.createdAt} dateOnly />
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

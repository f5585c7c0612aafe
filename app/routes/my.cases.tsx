import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/my.cases";
import { DateTime } from "../components/auction.tsx";
import { partyCases } from "../../appraisal/index.ts";
import { DataTable } from "../components/data-table.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("appraisal.my.title");

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
      <DataTable
        rows={cases}
        rowKey={(c) => c.caseId}
        rowData={(c) => ({ "data-case-id": c.caseId })}
        testId="my-cases"
        empty={<p data-testid="no-cases">{t("appraisal.my.none")}</p>}
        columns={[
          { header: "appraisal.my.case", cell: (c) => <Link to={`/my/cases/${c.caseId}`}>{c.caseNumber}</Link> },
          { header: "appraisal.my.court", cell: (c) => c.courtName },
          { header: "appraisal.my.role", cell: (c) => t(c.role === "applicant" ? "partyRole.applicant" : "partyRole.debtor") },
          { header: "appraisal.my.running", numeric: true, cell: (c) => c.running },
          { header: "appraisal.my.registeredAt", cell: (c) => <DateTime iso={c.createdAt} dateOnly /> },
        ]}
      />
    </div>
  );
}

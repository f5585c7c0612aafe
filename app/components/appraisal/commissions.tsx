import { useTranslation } from "react-i18next";
import { DateTime, Due } from "../auction.tsx";
import { CommissionTag } from "../appraisal.tsx";
import { isRunning, type ProcedurePage } from "./procedure-page.ts";
import { StepButton } from "./step-button.tsx";

/**
 * A14–A16: the agencies commissioned in rank order, with their report's deadline and its extensions; for an
 * overdue agency, the court records that it returned the case materials.
 */
export function CommissionTable({ page }: { page: ProcedurePage }) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{t("appraisal.commission.title")}</h3>
      <div className="table-wrap">
        <table className="table" data-testid="commissions">
          <thead>
            <tr>
              <th scope="col">{t("appraisal.commission.rank")}</th>
              <th scope="col">{t("appraisal.commission.agency")}</th>
              <th scope="col">{t("appraisal.commission.status")}</th>
              <th scope="col">{t("appraisal.commission.offeredAt")}</th>
              <th scope="col">{t("appraisal.commission.reportDueAt")}</th>
            </tr>
          </thead>
          <tbody>
            {page.commissions.map((c) => (
              <tr key={c.id} data-commission-id={c.id}>
                <td>{c.rank}</td>
                <td>
                  {c.agencyName}
                  {c.declineReason && <span className="hint"> · {c.declineReason}</span>}
                </td>
                <td>
                  <CommissionTag status={c.status} />
                  {c.status === "overdue" && !c.materialsReturnedAt && isRunning(page) && (
                    <StepButton intent="materials" label="appraisal.commission.materialsReturned" fields={{ commissionId: c.id }} secondary />
                  )}
                </td>
                <td>
                  <DateTime iso={c.offeredAt} />
                </td>
                <td>
                  <Due iso={c.reportDueAt} />
                  {c.extensions.length > 0 && (
                    <span className="hint">
                      {" "}
                      · {t("appraisal.commission.extensions")} {c.extensions.map((e) => `+${e.days}`).join(", ")}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

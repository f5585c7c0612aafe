import { useTranslation } from "react-i18next";
import { DateTime, Money } from "../auction.tsx";
import type { ProcedurePage } from "./procedure-page.ts";
import { TableScroll } from "../data-table.tsx";

/** A3: each party's figure, or that none was given yet; matching figures fix the price. */
export function NegotiationFigures({ page }: { page: ProcedurePage }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="figures" className="form-section">
      <h2 id="figures">{t("appraisal.negotiation.title")}</h2>
      <p className="hint">{t("appraisal.negotiation.lead")}</p>
      <TableScroll label={t("appraisal.negotiation.title")}>
        <table className="table" data-testid="figures">
          <thead>
            <tr>
              <th scope="col">{t("appraisal.party.role")}</th>
              <th scope="col">{t("appraisal.party.name")}</th>
              <th scope="col" className="numeric">
                {t("appraisal.negotiation.figure")}
              </th>
              <th scope="col">{t("appraisal.negotiation.submittedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {page.parties.map((party) => {
              const figure = page.figures.find((f) => f.partyId === party.id);
              return (
                <tr key={party.id}>
                  <td>{t(party.role === "applicant" ? "partyRole.applicant" : "partyRole.debtor")}</td>
                  <td>{party.name}</td>
                  <td className="numeric">{figure ? <Money fen={figure.amountFen} /> : t("appraisal.negotiation.none")}</td>
                  <td>{figure ? <DateTime iso={figure.submittedAt} /> : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

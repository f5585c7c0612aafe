import { useTranslation } from "react-i18next";
import type { Route } from "./+types/court.companies";
import { accountsAwaitingConfirmation, confirmRepresentation } from "../../identity/index.ts";
import { DateTime } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { ActionButton, ProblemSummary, failureFor } from "../components/form-fields.tsx";
import { formValues, pageId, refusal, readForm } from "../lib/forms.server.ts";
import { requirePageUser, services } from "../lib/http.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("companies.title");

/**
 * C6: company accounts, and persons bidding through a proxy, waiting for the court to confirm who
 * acts for them. Per account: no lot is shown (P4).
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  requirePageUser(request, context, "companies.confirm");
  const rows = await accountsAwaitingConfirmation(services(context).db);
  return { accounts: rows.map((r) => ({ ...r, since: r.since.toISOString() })) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "companies.confirm");
  const values = formValues(await readForm(request));
  const { db, clock } = services(context);
  try {
    // The version is what the page showed: a proxy changed since then is not confirmed unseen.
    await confirmRepresentation(db, clock, user, pageId(values.userId), values.version ?? "");
  } catch (error) {
    return refusal(error, "confirm", values, { formFields: [] });
  }
  return { confirmed: values.userId };
}

export default function CourtRepresentatives({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <div>
      <h1>{t("companies.title")}</h1>
      <p className="lead">{t("companies.lead")}</p>
      <ProblemSummary failure={failureFor(actionData, "confirm")} />
      <DataTable
        rows={loaderData.accounts}
        rowKey={(c) => c.userId}
        testId="companies"
        empty={<p data-testid="no-companies">{t("companies.none")}</p>}
        columns={[
          { header: "companies.kind", cell: (c) => t(`register.kind.${c.kind}`) },
          { header: "companies.name", cell: (c) => c.name },
          { header: "companies.creditCode", cell: (c) => c.identityNumber },
          { header: "companies.proxy", cell: (c) => (c.proxyName ? `${c.proxyName} (${c.proxyIdentityMasked ?? ""})` : t("companies.companyAgent")) },
          { header: "companies.powerOfAttorney", cell: (c) => c.proxyPowerOfAttorney ?? "" },
          { header: "companies.username", cell: (c) => c.username },
          { header: "companies.since", cell: (c) => <DateTime iso={c.since} /> },
          {
            header: "companies.action",
            cell: (c) => <ActionButton fields={{ userId: c.userId, version: c.version }} label="companies.confirm" ariaLabel={t("companies.confirmNamed", { name: c.name })} />,
          },
        ]}
      />
    </div>
  );
}

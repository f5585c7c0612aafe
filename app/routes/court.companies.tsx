import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import type { Route } from "./+types/court.companies";
import { companiesAwaitingConfirmation, confirmCompany } from "../../identity/index.ts";
import { DateTime } from "../components/auction.tsx";
import { formValues, pageId, refusal } from "../lib/forms.server.ts";
import { requirePageUser, services } from "../lib/http.server.ts";

export const meta: Route.MetaFunction = () => [{ title: "单位竞买人确认 Company bidders" }];

/** C6: company accounts waiting for the court to confirm who acts for them. No lot is shown (P4). */
export async function loader({ request, context }: Route.LoaderArgs) {
  requirePageUser(request, context, "companies.confirm");
  const rows = await companiesAwaitingConfirmation(services(context).db);
  return { companies: rows.map((r) => ({ ...r, since: r.since.toISOString() })) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "companies.confirm");
  const values = formValues(await request.formData());
  const { db, clock } = services(context);
  try {
    await confirmCompany(db, clock, user, pageId(values.userId));
  } catch (error) {
    return refusal(error, "confirm", values, { formFields: [] });
  }
  return { confirmed: values.userId };
}

export default function CourtCompanies({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <div>
      <h1>{t("companies.title")}</h1>
      <p className="lead">{t("companies.lead")}</p>
      {loaderData.companies.length === 0 ? (
        <p data-testid="no-companies">{t("companies.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="companies">
            <thead>
              <tr>
                <th scope="col">{t("companies.name")}</th>
                <th scope="col">{t("companies.creditCode")}</th>
                <th scope="col">{t("companies.username")}</th>
                <th scope="col">{t("companies.since")}</th>
                <th scope="col">{t("companies.action")}</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.companies.map((c) => (
                <tr key={c.userId}>
                  <td>{c.companyName}</td>
                  <td>{c.creditCode}</td>
                  <td>{c.username}</td>
                  <td>
                    <DateTime iso={c.since} />
                  </td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="userId" value={c.userId} />
                      <button type="submit" className="button" aria-label={t("companies.confirmNamed", { name: c.companyName })}>
                        {t("companies.confirm")}
                      </button>
                    </Form>
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

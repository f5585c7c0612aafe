import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/agency.conflicts";
import { conflictSchema, declareConflict, listAgencyConflicts } from "../../appraisal/index.ts";
import { DateTime, SuccessBanner } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { failureFor, Input, ProblemSummary, TextArea } from "../components/form-fields.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, parseForm, refusal, readForm } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("agencyPortal.conflicts.title");

/**
 * Agency members: the people and organisations their agency has a relationship with. The agency is
 * never drawn for a case where one of them is a party (A13).
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "agency.work");
  try {
    const conflicts = await listAgencyConflicts(services(context).db, user);
    return { conflicts: toPlain(conflicts), declared: new URL(request.url).searchParams.get("done") === "declared" };
  } catch (error) {
    throw asPageError(error);
  }
}

const FIELDS = ["identityNumber", "relationship"] as const;

export async function action({ request, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "agency.work");
  const values = formValues(await readForm(request));
  const parsed = parseForm(conflictSchema, values);
  if (!parsed.ok) return formFailure("conflict", values, parsed.fields, [], 400);
  const { db, clock } = services(context);
  try {
    await declareConflict(db, clock, user, parsed.data);
  } catch (error) {
    return refusal(error, "conflict", values, { formFields: FIELDS });
  }
  return redirect("/agency/conflicts?done=declared");
}

export default function AgencyConflicts({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { conflicts, declared } = loaderData;
  const failure = failureFor(actionData, "conflict");
  const labels = { identityNumber: "agencyPortal.conflicts.identityNumber", relationship: "agencyPortal.conflicts.relationship" };
  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/agency">{t("agencyPortal.title")}</Link>
      </p>
      <h1>{t("agencyPortal.conflicts.title")}</h1>
      <p className="lead">{t("agencyPortal.conflicts.lead")}</p>
      {declared && <SuccessBanner>{t("agencyPortal.conflicts.declared")}</SuccessBanner>}
      <ProblemSummary failure={failure} labels={labels} />
      <DataTable
        rows={conflicts}
        rowKey={(c) => c.id}
        caption="agencyPortal.conflicts.title"
        testId="conflicts"
        empty={<p data-testid="no-conflicts">{t("agencyPortal.conflicts.none")}</p>}
        columns={[
          { header: "agencyPortal.conflicts.identityNumber", cell: (c) => c.identityNumber },
          { header: "agencyPortal.conflicts.relationship", cell: (c) => c.relationship },
          { header: "agencyPortal.conflicts.declaredAt", cell: (c) => <DateTime iso={c.declaredAt} /> },
        ]}
      />
      <section aria-labelledby="declare" className="form-section">
        <h2 id="declare">{t("agencyPortal.conflicts.declare")}</h2>
        <Form method="post" noValidate className="narrow">
          <Input
            name="identityNumber"
            label="agencyPortal.conflicts.identityNumber"
            defaultValue={failure?.values.identityNumber}
            error={failure?.fields.identityNumber}
            maxLength={18}
            width="medium"
            hint={t("agencyPortal.conflicts.identityHint")}
          />
          <TextArea
            name="relationship"
            label="agencyPortal.conflicts.relationship"
            defaultValue={failure?.values.relationship}
            error={failure?.fields.relationship}
            rows={2}
            maxLength={200}
            hint={t("agencyPortal.conflicts.relationshipHint")}
          />
          <button type="submit" className="button" disabled={navigation.state === "submitting"} data-testid="declare-conflict">
            {t("agencyPortal.conflicts.submit")}
          </button>
        </Form>
      </section>
    </div>
  );
}

import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/court.cases";
import { courtJudges, createCase, createCaseSchema, listCourtCases } from "../../auction/index.ts";
import { DateTime } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { failureFor, Input, ProblemSummary, Select, TextArea } from "../components/form-fields.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, parseForm, refusal, readForm } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("court.cases.title");

/** Court staff: their own court's enforcement cases; judges and clerks register new ones, naming the judge in charge. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const { db } = services(context);
  const cases = await listCourtCases(db, user);
  // A judge is in charge of what they register unless they name a colleague.
  return { cases: toPlain(cases), judges: await courtJudges(db, user), defaultJudgeId: user.role === "judge" ? user.id : "" };
}

/** Half-width brackets and stray spaces are common when typing a case number; the schema wants （…）. */
const normalizeCaseNumber = (v: string | undefined) => (v ?? "").replace(/\s+/g, "").replace(/\(/g, "（").replace(/\)/g, "）");

export async function action({ request, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const values = formValues(await readForm(request));
  const parsed = parseForm(createCaseSchema, { ...values, caseNumber: normalizeCaseNumber(values.caseNumber) });
  if (!parsed.ok) return formFailure("case", values, parsed.fields, [], 400);
  const { db, clock } = services(context);
  let created: { id: string };
  try {
    created = await createCase(db, clock, user, parsed.data);
  } catch (error) {
    return refusal(error, "case", values, { formFields: ["caseNumber", "enforcementBasis", "judgeId"] });
  }
  return redirect(`/court/cases/${created.id}`);
}

export default function CourtCases({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { cases, judges, defaultJudgeId } = loaderData;
  const failure = failureFor(actionData, "case");
  return (
    <div>
      <h1>{t("court.cases.title")}</h1>
      <ProblemSummary failure={failure} />
      <DataTable
        rows={cases}
        rowKey={(c) => c.id}
        testId="case-list"
        empty={<p>{t("court.cases.none")}</p>}
        columns={[
          { header: "fields.caseNumber", className: "nowrap", cell: (c) => <Link to={`/court/cases/${c.id}`}>{c.caseNumber}</Link> },
          { header: "fields.enforcementBasis", cell: (c) => c.enforcementBasis },
          { header: "court.cases.judge", cell: (c) => c.judgeName },
          { header: "court.cases.assets", cell: (c) => c.assetCount },
          { header: "court.cases.createdAt", cell: (c) => <DateTime iso={c.createdAt} /> },
        ]}
      />

      <section aria-labelledby="new-case" className="form-section">
        <h2 id="new-case">{t("court.cases.new")}</h2>
        <Form method="post" noValidate className="narrow">
          <Input name="caseNumber" defaultValue={failure?.values.caseNumber} error={failure?.fields.caseNumber} maxLength={40} hint={t("court.cases.caseNumberHint")} />
          <TextArea name="enforcementBasis" defaultValue={failure?.values.enforcementBasis} error={failure?.fields.enforcementBasis} maxLength={500} hint={t("court.cases.basisHint")} />
          <Select
            name="judgeId"
            defaultValue={failure?.values.judgeId ?? defaultJudgeId}
            error={failure?.fields.judgeId}
            emptyLabel={t("form.choose")}
            hint={t("court.cases.judgeHint")}
            options={judges.map((j) => ({ value: j.id, label: j.displayName }))}
          />
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("court.cases.create")}
          </button>
        </Form>
      </section>
    </div>
  );
}

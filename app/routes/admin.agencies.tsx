import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.agencies";
import { addAgency, listAgencies, LISTING_STATUSES, SPECIALTIES } from "../../appraisal/index.ts";
import { isAppError } from "../../core/errors.ts";
import { SuccessBanner } from "../components/auction.tsx";
import { SPECIALTY_LABELS, ListingStanding, SublistFields } from "../components/appraisal-portal.tsx";
import { DataTable } from "../components/data-table.tsx";
import { failureFor, FoldedForm, Input, ProblemSummary, Select } from "../components/form-fields.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formValues, refusal, readForm } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

const STATUS_LABELS: Record<string, string> = { active: "pool.status.active", suspended: "pool.status.suspended", removed: "pool.status.removed" };

export const handle = pageTitle("pool.agencies.title");

const filtersSchema = z.object({
  status: z.enum(LISTING_STATUSES).optional(),
  specialty: z.enum(SPECIALTIES).optional(),
  region: z.string().trim().regex(/^\d{6}$/).optional(),
});

/** Admins: the judicial appraisal-institution list (A12) with its specialty and regional sub-lists. */
export async function loader({ request, context }: Route.LoaderArgs) {
  requirePageUser(request, context, "pool.manage");
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const query = filtersSchema.safeParse(params);
  const filters = query.success ? query.data : {};
  const filterErrors: Record<string, string> = {};
  if (!query.success) for (const issue of query.error.issues) filterErrors[String(issue.path[0])] = issue.path[0] === "region" ? "validation.regionCode" : "validation.invalid";
  let agencies: Awaited<ReturnType<typeof listAgencies>> = [];
  try {
    if (query.success) agencies = await listAgencies(services(context).db, { status: filters.status, specialty: filters.specialty, regionCode: filters.region });
  } catch (error) {
    // A region that is no sub-list (a district code) is a filter error, not a failure of the page.
    if (!isAppError(error) || !error.fields) throw asPageError(error);
    for (const [field, message] of Object.entries(error.fields)) filterErrors[field === "regionCode" ? "region" : field] = message;
  }
  return {
    agencies: toPlain(agencies),
    filters: { status: params.status ?? "", specialty: params.specialty ?? "", region: params.region ?? "" },
    filterErrors,
    added: new URL(request.url).searchParams.get("done") === "added",
    statuses: [...LISTING_STATUSES],
    specialties: [...SPECIALTIES],
  };
}

const FIELDS = ["name", "creditCode", "regionCode", "specialty", "sublistRegion"] as const;

/** Puts an agency on the list, on one first sub-list if given (more on the agency's page). */
export async function action({ request, context }: Route.ActionArgs) {
  const admin = requirePageUser(request, context, "pool.manage");
  const values = formValues(await readForm(request));
  const wantsSublist = (values.specialty ?? "") !== "" || (values.sublistRegion ?? "").trim() !== "";
  const input = {
    name: values.name ?? "",
    creditCode: values.creditCode ?? "",
    regionCode: values.regionCode ?? "",
    sublists: wantsSublist ? [{ specialty: values.specialty ?? "", regionCode: values.sublistRegion ?? "" }] : [],
  };
  const { db, clock } = services(context);
  let agencyId: string;
  try {
    ({ agencyId } = await addAgency(db, clock, admin, input));
  } catch (error) {
    return refusal(error, "agency", values, { formFields: FIELDS, fieldMap: { "sublists.0.specialty": "specialty", "sublists.0.regionCode": "sublistRegion", sublists: "specialty" } });
  }
  return redirect(`/admin/agencies/${agencyId}?done=added`);
}

export default function AdminAgencies({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { agencies, filters, filterErrors, statuses, specialties } = loaderData;
  const failure = failureFor(actionData, "agency");
  const labels = {
    name: "pool.agencies.name",
    creditCode: "pool.creditCode",
    regionCode: "pool.agencies.regionCode",
    specialty: "pool.specialtyLabel",
    sublistRegion: "pool.sublistRegion",
    status: "pool.statusLabel",
    region: "pool.sublistRegion",
  };
  const hasFilterErrors = Object.keys(filterErrors).length > 0;
  return (
    <div>
      <h1>{t("pool.agencies.title")}</h1>
      <p className="lead">{t("pool.agencies.lead")}</p>
      <p>
        <Link to="/admin/platforms">{t("pool.platforms.title")}</Link>
      </p>
      {loaderData.added && <SuccessBanner>{t("pool.agencies.added")}</SuccessBanner>}
      <ProblemSummary failure={failure ?? (hasFilterErrors ? { fields: filterErrors, messages: [] } : undefined)} labels={labels} />

      <Form method="get" className="filters" data-testid="agency-filters">
        <Select
          name="status"
          label="pool.statusLabel"
          defaultValue={filters.status}
          error={filterErrors.status}
          emptyLabel={t("pool.any")}
          options={statuses.map((s) => ({ value: s, label: t(STATUS_LABELS[s] ?? "pool.status.active") }))}
        />
        <Select
          name="specialty"
          label="pool.specialtyLabel"
          defaultValue={filters.specialty}
          error={filterErrors.specialty}
          emptyLabel={t("pool.any")}
          options={specialties.map((s) => ({ value: s, label: t(SPECIALTY_LABELS[s] ?? "pool.specialty.other") }))}
        />
        <Input name="region" label="pool.sublistRegion" defaultValue={filters.region} error={filterErrors.region} inputMode="numeric" maxLength={6} width="medium" hint={t("pool.sublistRegionHint")} />
        <button type="submit" className="button button--secondary">
          {t("pool.filter")}
        </button>
      </Form>

      <p className="results-count" data-testid="agency-count">
        {t("pool.agencies.count")}: {agencies.length}
      </p>
      <DataTable
        rows={agencies}
        rowKey={(a) => a.agencyId}
        rowData={(a) => ({ "data-agency-id": a.agencyId })}
        caption="pool.agencies.title"
        testId="agencies"
        columns={[
          { header: "pool.agencies.name", cell: (a) => <Link to={`/admin/agencies/${a.agencyId}`}>{a.name}</Link> },
          { header: "pool.creditCode", cell: (a) => a.creditCode },
          {
            header: "pool.sublists",
            cell: (a) =>
              a.sublists.length === 0 ? t("pool.noSublists") : a.sublists.map((s) => `${t(SPECIALTY_LABELS[s.specialty] ?? "pool.specialty.other")} ${s.regionCode}`).join("；"),
          },
          { header: "pool.statusLabel", cell: (a) => <ListingStanding status={a.status} barredUntil={a.barredUntil} /> },
        ]}
      />

      <section aria-labelledby="add" className="form-section">
        <h2 id="add">{t("pool.agencies.add")}</h2>
        <FoldedForm summary="pool.agencies.addOpen" open={Boolean(failure)}>
          <p className="hint">{t("pool.agencies.addLead")}</p>
          <Input name="name" label="pool.agencies.name" defaultValue={failure?.values.name} error={failure?.fields.name} maxLength={200} />
          <Input name="creditCode" label="pool.creditCode" defaultValue={failure?.values.creditCode} error={failure?.fields.creditCode} maxLength={18} width="medium" />
          <Input name="regionCode" label="pool.agencies.regionCode" defaultValue={failure?.values.regionCode} error={failure?.fields.regionCode} inputMode="numeric" maxLength={6} width="medium" hint={t("pool.agencies.regionCodeHint")} />
          <SublistFields failure={failure} specialties={specialties} />
          <button type="submit" className="button" disabled={navigation.state === "submitting"} data-testid="add-agency">
            {t("pool.agencies.addSubmit")}
          </button>
        </FoldedForm>
      </section>
    </div>
  );
}

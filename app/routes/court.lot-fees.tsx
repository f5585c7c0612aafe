import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/court.lot-fees";
import { lotFees, recordFees, recordFeesSchema } from "../../escrow/index.ts";
import { can } from "../../identity/index.ts";
import { Money, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { failureFor, MoneyInput, ProblemSummary, Radios } from "../components/form-fields.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, parseForm, readForm, refusal } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("fees.title", (d) => d.view.lot.title);

const FIELDS = ["advancedByPartyId", "inquiryFeeFen", "appraisalFeeFen", "reissueFullFeeFen"] as const;
const LABELS = { advancedByPartyId: "fees.field.advancedBy", inquiryFeeFen: "fees.field.inquiryFee", appraisalFeeFen: "fees.field.appraisalFee", reissueFullFeeFen: "fees.field.reissueFullFee" };

/**
 * Court staff: the appraisal or inquiry fees of the asset sold (or left unsold) in this lot (A26). The rulebook gives
 * no fee scale, so the judge enters each fee as the scale or the bill gives it; the platform applies A26 to it.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const lotId = pageId(params.lotId);
  const { db } = services(context);
  try {
    const view = await lotFees(db, user, lotId);
    return { view: toPlain(view), canRecord: can(user, "escrow.distribute", { courtId: view.lot.courtId }), done: new URL(request.url).searchParams.get("done") === "recorded" };
  } catch (error) {
    throw asPageError(error);
  }
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const lotId = pageId(params.lotId);
  const { db, clock } = services(context);
  const values = formValues(await readForm(request));
  // The re-issue's fee is the one field that may be left empty.
  const typed = Object.fromEntries(Object.entries(values).filter(([name, value]) => name !== "reissueFullFeeFen" || value.trim() !== ""));
  const yuan = FIELDS.filter((f) => f !== "advancedByPartyId" && f in typed);
  const parsed = parseForm(recordFeesSchema, typed, { yuan });
  if (!parsed.ok) return formFailure("fees", values, parsed.fields, [], 400);
  try {
    await recordFees(db, clock, user, lotId, parsed.data);
  } catch (error) {
    return refusal(error, "fees", values, { formFields: FIELDS, codeField: { FEE_ABOVE_BASE: "appraisalFeeFen" } });
  }
  return redirect(`/court/lots/${lotId}/fees?done=recorded`);
}

export default function CourtLotFees({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { view, canRecord, done } = loaderData;
  const failure = failureFor(actionData, "fees");
  return (
    <div>
      <p className="breadcrumbs">
        <Link to={`/court/cases/${view.lot.caseId}`}>{view.lot.caseNumber}</Link> › <Link to={`/court/lots/${view.lot.id}`}>{view.lot.title}</Link>
      </p>
      <span className="caption">{view.lot.title}</span>
      <h1>{t("fees.title")}</h1>
      {done && <SuccessBanner>{t("fees.recorded")}</SuccessBanner>}
      <ProblemSummary failure={failure} labels={LABELS} />
      <p>{t("fees.lead")}</p>
      {!view.method ? (
        <p className="inset-text">{t("fees.noBasis")}</p>
      ) : !view.known ? (
        <p className="inset-text">{t("fees.notKnown")}</p>
      ) : (
        <>
          <SummaryList
            testId="fee-figures"
            rows={[
              ["fees.method", t(`priceMethod.${view.method}`)],
              ["fees.deal", view.dealFen === null ? t("fees.unsold") : <Money fen={view.dealFen} />],
              ["fees.base", view.appraisalBase?.baseFen ? <Money fen={view.appraisalBase.baseFen} /> : view.appraisalBase ? t("fees.actualCosts") : null],
            ]}
          />
          <DataTable
            rows={view.reports}
            rowKey={(r) => r.payeeName}
            caption="fees.reports"
            testId="fee-reports"
            columns={[
              { header: "fees.col.payee", cell: (r) => r.payeeName },
              { header: "fees.col.value", numeric: true, cell: (r) => <Money fen={r.valueFen} /> },
            ]}
          />
          {view.recorded.length > 0 ? (
            <Recorded fees={view.recorded} />
          ) : canRecord ? (
            <FeeForm view={view} failure={failure} />
          ) : (
            <p>{t("fees.judgesOnly")}</p>
          )}
        </>
      )}
    </div>
  );
}

type View = Route.ComponentProps["loaderData"]["view"];

function Recorded({ fees }: { fees: View["recorded"] }) {
  const { t } = useTranslation();
  return (
    <>
      <h2>{t("fees.recordedTitle")}</h2>
      <DataTable
        rows={fees}
        rowKey={(f) => f.id}
        rowData={(f) => ({ "data-kind": f.kind })}
        testId="fees-recorded"
        columns={[
          { header: "fees.col.kind", cell: (f) => t(`fees.kind.${f.kind}`) },
          { header: "fees.col.payee", cell: (f) => f.payeeName },
          { header: "fees.col.entered", numeric: true, cell: (f) => <Money fen={f.enteredFen} /> },
          { header: "fees.col.amount", numeric: true, cell: (f) => <Money fen={f.amountFen} /> },
          { header: "fees.col.advancedBy", cell: (f) => f.creditorName },
        ]}
      />
      <p className="hint">{t("fees.borne")}</p>
    </>
  );
}

function FeeForm({ view, failure }: { view: View; failure: ReturnType<typeof failureFor> }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const fields = failure?.fields ?? {};
  const values = failure?.values ?? {};
  if (view.applicants.length === 0) return <p className="inset-text">{t("fees.noApplicant")}</p>;
  return (
    <Form method="post" noValidate>
      <h2>{t("fees.formTitle")}</h2>
      <Radios
        name="advancedByPartyId"
        label="fees.field.advancedBy"
        options={view.applicants.map((a) => ({ value: a.id, label: a.name }))}
        defaultValue={values.advancedByPartyId ?? (view.applicants.length === 1 ? view.applicants[0]!.id : undefined)}
        error={fields.advancedByPartyId}
      />
      {view.method === "online_inquiry" ? (
        <MoneyInput name="inquiryFeeFen" label="fees.field.inquiryFee" hint={t("fees.hint.inquiryFee")} defaultValue={values.inquiryFeeFen} error={fields.inquiryFeeFen} />
      ) : (
        <>
          <MoneyInput
            name="appraisalFeeFen"
            label="fees.field.appraisalFee"
            hint={t(view.dealFen === null ? "fees.hint.actualCosts" : "fees.hint.appraisalFee")}
            defaultValue={values.appraisalFeeFen}
            error={fields.appraisalFeeFen}
          />
          <MoneyInput name="reissueFullFeeFen" label="fees.field.reissueFullFee" hint={t("fees.hint.reissueFullFee")} defaultValue={values.reissueFullFeeFen} error={fields.reissueFullFeeFen} />
        </>
      )}
      <button type="submit" className="button" disabled={busy}>
        {t("fees.submit")}
      </button>
    </Form>
  );
}

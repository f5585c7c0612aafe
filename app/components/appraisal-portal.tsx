import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import { COMMISSION_TAGS, StatusTag, type ReportRow } from "./appraisal.tsx";
import { DateTime, Due, Money, Prose, SummaryList } from "./auction.tsx";
import { FileInput, Input, MoneyInput, ProblemSummary, Select, TextArea } from "./form-fields.tsx";
import { UploadForm } from "./upload-progress.tsx";

const COMMISSION_STATUS: Record<string, string> = {
  offered: "agencyPortal.commissionStatus.offered",
  accepted: "agencyPortal.commissionStatus.accepted",
  declined: "agencyPortal.commissionStatus.declined",
  overdue: "agencyPortal.commissionStatus.overdue",
  reported: "agencyPortal.commissionStatus.reported",
  withdrawn: "agencyPortal.commissionStatus.withdrawn",
};

/** A commission's status as a tag (offered, accepted, reported …). */
export function CommissionStatusTag({ status }: { status: string }) {
  return <StatusTag status={status} tags={COMMISSION_TAGS} labels={COMMISSION_STATUS} />;
}

const LISTING_TAGS: Record<string, string> = { active: "bidding", suspended: "ended", removed: "failed", struck_off: "failed" };
const LISTING_STATUS: Record<string, string> = { active: "pool.status.active", suspended: "pool.status.suspended", removed: "pool.status.removed", struck_off: "pool.status.struck_off" };

/** A12: the specialty sub-libraries' names. */
export const SPECIALTY_LABELS: Record<string, string> = {
  real_estate: "pool.specialty.real_estate",
  land: "pool.specialty.land",
  vehicles: "pool.specialty.vehicles",
  machinery: "pool.specialty.machinery",
  equity: "pool.specialty.equity",
  intellectual_property: "pool.specialty.intellectual_property",
  other: "pool.specialty.other",
};

export const OBJECTION_KINDS: Record<string, string> = { procedural: "agencyPortal.objections.kind.procedural", technical: "agencyPortal.objections.kind.technical" };
export const OBJECTION_STATUSES: Record<string, string> = {
  filed: "agencyPortal.objections.status.filed",
  forwarded: "agencyPortal.objections.status.forwarded",
  answered: "agencyPortal.objections.status.answered",
  upheld: "agencyPortal.objections.status.upheld",
  rejected: "agencyPortal.objections.status.rejected",
  technical_review: "agencyPortal.objections.status.technical_review",
};

/** An agency's or platform's standing on its list (A6, A12). */
export function ListingStatusTag({ status }: { status: string }) {
  return <StatusTag status={status} tags={LISTING_TAGS} labels={LISTING_STATUS} />;
}

type FieldFailure = { values: Record<string, string>; fields: Record<string, string> } | undefined;

/** A12: the fields naming one sub-list of the agency list: a specialty and a region (city or province code). */
export function SublistFields({ failure, specialties }: { failure: FieldFailure; specialties: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <>
      <Select
        name="specialty"
        label="pool.specialtyLabel"
        defaultValue={failure?.values.specialty}
        error={failure?.fields.specialty}
        emptyLabel={t("form.choose")}
        options={specialties.map((s) => ({ value: s, label: t(SPECIALTY_LABELS[s] ?? "pool.specialty.other") }))}
      />
      <Input name="sublistRegion" label="pool.sublistRegion" defaultValue={failure?.values.sublistRegion} error={failure?.fields.sublistRegion} inputMode="numeric" maxLength={6} width="medium" hint={t("pool.sublistRegionHint")} />
    </>
  );
}

/** An agency's or platform's standing in a list: its tag and, once struck off or removed, until when it is barred (A6, A12). */
export function ListingStanding({ status, barredUntil }: { status: string; barredUntil: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      <ListingStatusTag status={status} />
      {barredUntil && (
        <span className="hint">
          {" "}
          {t("pool.barredUntil")} <DateTime iso={barredUntil} dateOnly />
        </span>
      )}
    </>
  );
}

/** A report's file, linked for download, with its size and SHA-256 so a downloaded copy can be checked. */
export function FileFacts({ reportId, name, sizeBytes, sha256 }: { reportId: string; name: string; sizeBytes: number; sha256: string }) {
  return (
    <>
      <a href={`/reports/${reportId}/report.pdf`}>{name}</a>{" "}
      <span className="hint">
        (PDF, {Math.max(1, Math.ceil(sizeBytes / 1024))} KB · SHA-256 <code>{sha256.slice(0, 16)}…</code>)
      </span>
    </>
  );
}

/** The staff account form's fields, their labels for the error summary, and what the use case takes from them. */
export const STAFF_FIELDS = ["username", "password", "displayName", "staffIdentityNumber"] as const;
export const STAFF_LABELS = {
  username: "pool.member.username",
  password: "pool.member.password",
  displayName: "pool.member.displayName",
  staffIdentityNumber: "pool.member.staffIdentityNumber",
};
export function staffInput(values: Record<string, string>) {
  return { username: values.username ?? "", password: values.password ?? "", displayName: values.displayName ?? "", staffIdentityNumber: values.staffIdentityNumber ?? "" };
}

/** The fields of a staff account (agency member or platform user); the staff ID bars them from bidding (C7). */
export function StaffFields({ failure }: { failure?: { values: Record<string, string>; fields: Record<string, string> } }) {
  const { t } = useTranslation();
  return (
    <>
      <Input name="username" label="pool.member.username" defaultValue={failure?.values.username} error={failure?.fields.username} maxLength={32} width="medium" autoComplete="off" />
      <Input name="password" type="password" label="pool.member.password" error={failure?.fields.password} maxLength={128} width="medium" autoComplete="new-password" hint={t("pool.member.passwordHint")} />
      <Input name="displayName" label="pool.member.displayName" defaultValue={failure?.values.displayName} error={failure?.fields.displayName} maxLength={100} />
      <Input name="staffIdentityNumber" label="pool.member.staffIdentityNumber" defaultValue={failure?.values.staffIdentityNumber} error={failure?.fields.staffIdentityNumber} maxLength={18} width="medium" hint={t("pool.member.staffIdentityHint")} />
    </>
  );
}

/** Checkboxes for the asset categories a platform prices (P7); the first carries the field's id for the error summary. */
export function CategoryCheckboxes({ categories, checked, error }: { categories: readonly string[]; checked: readonly string[]; error?: string }) {
  const { t } = useTranslation();
  return (
    <fieldset className={error ? "field field--error" : "field"} aria-describedby={error ? "categories-error" : undefined}>
      <legend>{t("pool.platforms.categories")}</legend>
      {error && (
        <p id="categories-error" className="field-error">
          {t(error)}
        </p>
      )}
      {categories.map((c, i) => (
        <div className="checkbox-item" key={c}>
          <label className="checkbox">
            <input type="checkbox" id={i === 0 ? "categories" : `categories-${c}`} name="categories" value={c} defaultChecked={checked.includes(c)} />
            <span>{t(`category.${c}`)}</span>
          </label>
        </div>
      ))}
    </fieldset>
  );
}


/**
 * The fields of a report, agency's or platform's, first or corrected (A7, A14, A23): method, value in yuan,
 * valuation date, validity and the PDF. Hints only where the page gives them.
 */
export function ReportFields({ failure, fileLabel, methodHint, validUntilHint = false }: { failure: { values?: Record<string, string>; fields: Record<string, string> } | undefined; fileLabel: string; methodHint?: string; validUntilHint?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Input name="valuationMethod" label="agencyPortal.report.valuationMethod" defaultValue={failure?.values?.valuationMethod} error={failure?.fields.valuationMethod} maxLength={100} hint={methodHint ? t(methodHint) : undefined} />
      <MoneyInput name="valueFen" label="agencyPortal.report.valueFen" defaultValue={failure?.values?.valueFen} error={failure?.fields.valueFen} hint={t("form.yuanHint")} />
      <Input name="valuationDate" type="date" label="agencyPortal.report.valuationDate" defaultValue={failure?.values?.valuationDate} error={failure?.fields.valuationDate} width="medium" />
      <Input name="validUntil" type="date" label="agencyPortal.report.validUntil" defaultValue={failure?.values?.validUntil} error={failure?.fields.validUntil} width="medium" hint={validUntilHint ? t("agencyPortal.report.validUntilHint") : undefined} />
      <FileInput name="file" label={fileLabel} accept=".pdf,application/pdf" error={failure?.fields.file} hint={t("agencyPortal.report.fileHint")} />
    </>
  );
}

/**
 * A report's upload form, agency's or platform's, first or corrected: the fields' faults summarised on top,
 * the upload's progress shown while the PDF goes up (UploadForm). `reportId` names the report corrected.
 */
export function ReportUploadForm({
  id,
  failure,
  maxBytes,
  intent,
  reportId,
  fileLabel,
  methodHint,
  validUntilHint,
  submit,
}: {
  id: string;
  failure: Parameters<typeof UploadForm>[0]["failure"];
  maxBytes: number;
  intent: string;
  reportId?: string;
  fileLabel: string;
  methodHint?: string;
  validUntilHint?: boolean;
  submit: { label: string; className: string; testId: string };
}) {
  const { t } = useTranslation();
  const labels = {
    valuationMethod: "agencyPortal.report.valuationMethod",
    valueFen: "agencyPortal.report.valueFen",
    valuationDate: "agencyPortal.report.valuationDate",
    validUntil: "agencyPortal.report.validUntil",
    file: fileLabel,
  };
  return (
    <UploadForm id={id} failure={failure} maxBytes={maxBytes} tooLarge="file.error.tooLarge.document" className="narrow">
      {(failure, uploading) => (
        <>
          <ProblemSummary failure={failure} labels={labels} />
          <input type="hidden" name="intent" value={intent} />
          {reportId && <input type="hidden" name="reportId" value={reportId} />}
          <ReportFields failure={failure} fileLabel={fileLabel} methodHint={methodHint} validUntilHint={validUntilHint} />
          <button type="submit" className={submit.className} disabled={uploading} data-testid={submit.testId}>
            {t(submit.label)}
          </button>
        </>
      )}
    </UploadForm>
  );
}

/** The asset an agency or platform prices, with its case and court; lease and taxes where the page reads them. */
export function assetFactRows(
  t: (key: string) => string,
  caseNumber: string,
  courtName: string,
  asset: { category: string; regionCode: string; description: string; encumbrances: string; occupancy: string; lease?: string; taxes?: string; knownDefects: string },
): [string, ReactNode][] {
  return [
    ["agencyPortal.caseNumber", caseNumber],
    ["agencyPortal.court", courtName],
    ["agencyPortal.category", t(`category.${asset.category}`)],
    ["agencyPortal.region", asset.regionCode],
    ["lot.disclosure.description", <Prose text={asset.description} key="d" />],
    ["lot.disclosure.encumbrances", <Prose text={asset.encumbrances} key="e" />],
    ["lot.disclosure.occupancy", <Prose text={asset.occupancy} key="o" />],
    ["lot.disclosure.lease", asset.lease === undefined ? null : <Prose text={asset.lease} key="l" />],
    ["lot.disclosure.taxes", asset.taxes === undefined ? null : <Prose text={asset.taxes} key="t" />],
    ["lot.disclosure.knownDefects", <Prose text={asset.knownDefects} key="k" />],
  ];
}

type SentReport = Pick<ReportRow, "id" | "valueFen" | "valuationMethod" | "valuationDate" | "validUntil" | "fileName" | "sizeBytes" | "sha256" | "submittedAt">;

/** The reports an agency or platform sent: value, method, dates, the file, when sent, then what `more` adds. */
export function SentReports<R extends SentReport>({ reports, fileLabel, more }: { reports: R[]; fileLabel: string; more: (report: R) => [string, ReactNode][] }) {
  const { t } = useTranslation();
  if (reports.length === 0) return null;
  return (
    <section aria-labelledby="reports" className="form-section">
      <h2 id="reports">{t("agencyPortal.report.submitted")}</h2>
      {reports.map((r) => (
        <SummaryList
          key={r.id}
          testId="submitted-report"
          rows={[
            ["agencyPortal.report.valueFen", <Money fen={r.valueFen} key="v" />],
            ["agencyPortal.report.valuationMethod", r.valuationMethod],
            ["agencyPortal.report.valuationDate", <DateTime iso={r.valuationDate} dateOnly key="vd" />],
            ["agencyPortal.report.validUntil", <DateTime iso={r.validUntil} dateOnly key="vu" />],
            [fileLabel, <FileFacts reportId={r.id} name={r.fileName} sizeBytes={r.sizeBytes} sha256={r.sha256} key="f" />],
            ["agencyPortal.report.submittedAt", <DateTime iso={r.submittedAt} key="s" />],
            ...more(r),
          ]}
        />
      ))}
    </section>
  );
}

interface ForwardedObjection {
  id: string;
  kind: string;
  status: string;
  grounds: string;
  forwardedAt: string | null;
  answerDueAt: string | null;
  answer: string | null;
  answeredAt: string | null;
}

/**
 * A21: the objections the court forwarded to the agency or platform, each with its answer form while it
 * waits for one and the procedure runs. `failure` is the answer form's, shown on the objection it names.
 */
export function ForwardedObjections({
  objections,
  failure: answerFailure,
  canAnswer,
  busy,
  showAnsweredAt = false,
  answerHint,
  submitTestId,
}: {
  objections: ForwardedObjection[];
  failure: FieldFailure;
  canAnswer: boolean;
  busy: boolean;
  showAnsweredAt?: boolean;
  answerHint?: string;
  submitTestId?: string;
}) {
  const { t } = useTranslation();
  if (objections.length === 0) return null;
  return (
    <section aria-labelledby="objections" className="form-section" data-testid="objections">
      <h2 id="objections">{t("agencyPortal.objections.title")}</h2>
      <p className="hint">{t("agencyPortal.objections.lead")}</p>
      {objections.map((o) => {
        const field = `answer-${o.id}`;
        const failure = answerFailure?.values.objectionId === o.id ? answerFailure : undefined;
        return (
          <article key={o.id} className="form-section" data-objection-id={o.id}>
            <h3>
              {t(OBJECTION_KINDS[o.kind] ?? "agencyPortal.objections.title")} · {t(OBJECTION_STATUSES[o.status] ?? "agencyPortal.objections.title")}
            </h3>
            <SummaryList
              rows={[
                ["agencyPortal.objections.grounds", <Prose text={o.grounds} key="g" />],
                ["agencyPortal.objections.forwardedAt", <DateTime iso={o.forwardedAt} key="f" />],
                ["agencyPortal.objections.answerDueAt", o.status === "forwarded" ? <Due iso={o.answerDueAt} key="a" /> : null],
                ["agencyPortal.objections.answer", o.answer ? <Prose text={o.answer} key="an" /> : null],
                ["agencyPortal.objections.answeredAt", showAnsweredAt && o.answeredAt ? <DateTime iso={o.answeredAt} key="aa" /> : null],
              ]}
            />
            {o.status === "forwarded" && canAnswer && (
              <Form method="post" noValidate className="narrow">
                <input type="hidden" name="intent" value="answer" />
                <input type="hidden" name="objectionId" value={o.id} />
                <TextArea name={field} label="agencyPortal.objections.answer" defaultValue={failure?.values[field]} error={failure?.fields[field]} rows={6} maxLength={10000} hint={answerHint ? t(answerHint) : undefined} />
                <button type="submit" className="button" disabled={busy} data-testid={submitTestId}>
                  {t("agencyPortal.objections.submit")}
                </button>
              </Form>
            )}
          </article>
        );
      })}
    </section>
  );
}

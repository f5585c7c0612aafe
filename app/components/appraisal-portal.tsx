import { useTranslation } from "react-i18next";
import { Input } from "./form-fields.tsx";

const COMMISSION_TAGS: Record<string, string> = {
  offered: "announced",
  accepted: "bidding",
  reported: "sold",
  overdue: "failed",
  declined: "draft",
  withdrawn: "draft",
};
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
  const { t } = useTranslation();
  return (
    <strong className={`tag tag--${COMMISSION_TAGS[status] ?? "draft"}`} data-status={status}>
      {COMMISSION_STATUS[status] ? t(COMMISSION_STATUS[status]) : status}
    </strong>
  );
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
  const { t } = useTranslation();
  return (
    <strong className={`tag tag--${LISTING_TAGS[status] ?? "draft"}`} data-status={status}>
      {LISTING_STATUS[status] ? t(LISTING_STATUS[status]) : status}
    </strong>
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

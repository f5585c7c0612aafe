import { useTranslation } from "react-i18next";

const COMMISSION_TAGS: Record<string, string> = {
  offered: "announced",
  accepted: "bidding",
  reported: "sold",
  overdue: "failed",
  declined: "draft",
  withdrawn: "draft",
};

/** A commission's status as a tag (offered, accepted, reported …). */
export function CommissionStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <strong className={`tag tag--${COMMISSION_TAGS[status] ?? "draft"}`} data-status={status}>
      {t(`agencyPortal.commissionStatus.${status}`)}
    </strong>
  );
}

const LISTING_TAGS: Record<string, string> = { active: "bidding", suspended: "ended", removed: "failed", struck_off: "failed" };

/** An agency's or platform's standing on its list (A6, A12). */
export function ListingStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <strong className={`tag tag--${LISTING_TAGS[status] ?? "draft"}`} data-status={status}>
      {t(`pool.status.${status}`)}
    </strong>
  );
}

/** A file's size and SHA-256, so a downloaded copy can be checked. */
export function FileFacts({ name, sizeBytes, sha256 }: { name: string; sizeBytes: number; sha256: string }) {
  return (
    <span className="hint">
      {name} (PDF, {Math.max(1, Math.ceil(sizeBytes / 1024))} KB · SHA-256 <code>{sha256.slice(0, 16)}…</code>)
    </span>
  );
}

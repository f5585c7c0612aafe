import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { lotDocument, type DocumentLot, type LotDocumentKind } from "../lib/lot-documents.ts";
import { DateTime } from "./auction.tsx";

/** A lot's 竞买公告 or 竞买须知 as a page: the same sections as its PDF, in the reader's language. */
export function LotDocumentPage({ kind, lot, place }: { kind: LotDocumentKind; lot: DocumentLot["lot"] & { id: string }; place: string }) {
  const { t, i18n } = useTranslation();
  const document = lotDocument(kind, { lot, place, platformName: t("site.name") }, t, i18n.language);
  const other: LotDocumentKind = kind === "announcement" ? "notice" : "announcement";
  return (
    <article className="lot-document" data-testid={`lot-${kind}`}>
      <p className="breadcrumbs">
        <Link to="/lots">{t("lots.title")}</Link> › <Link to={`/lots/${lot.id}`}>{lot.title}</Link>
      </p>
      <p className="caption">
        {lot.courtName} · {lot.caseNumber}
      </p>
      <h1>{document.title}</h1>
      <p className="lead">{lot.title}</p>
      <p className="actions-row">
        <a href={`/lots/${lot.id}/${kind}.pdf`} className="button button--secondary" data-testid="document-pdf">
          {t("lotDocs.pdf")}
        </a>
        <Link to={`/lots/${lot.id}/${other}`}>{t(`lotDocs.${other}`)}</Link>
      </p>
      <p className="hint">{t("lotDocs.pdfLanguage")}</p>
      {document.intro.map((p) => (
        <p key={p}>{p}</p>
      ))}
      {document.sections.map((s) => (
        <section key={s.heading}>
          <h2>{s.heading}</h2>
          {s.paragraphs.map((p, i) => (
            <p key={i} className="prose">
              {p}
            </p>
          ))}
        </section>
      ))}
      <p className="document-signature">
        {lot.courtName}
        <br />
        {t("lotDocs.publishedOn")} <DateTime iso={document.publishedAt} dateOnly />
      </p>
      <p className="hint">{t("lotDocs.generated")}</p>
      <p>
        <Link to={`/lots/${lot.id}`}>{t("lotDocs.backToLot")}</Link>
      </p>
    </article>
  );
}

import { useTranslation } from "react-i18next";
import { colon } from "../lib/lot-documents.ts";
import { Link } from "react-router";

/** The lot's link, to copy, and its QR code (an SVG made on the server) to scan with WeChat. */
export function LotShare({ url, qrSvg }: { url: string; qrSvg: string }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="share-heading" data-testid="lot-share">
      <h2 id="share-heading">{t("lotShare.title")}</h2>
      <p>{t("lotShare.lead")}</p>
      <p>
        {t("lotShare.link")}
        {colon(i18n.language)}
        <a href={url} data-testid="share-url" className="share-url">
          {url}
        </a>
      </p>
      {/* The SVG comes from the qrcode package on the server (paths only, no script); it is the code of `url`. */}
      <figure className="share-qr" role="img" aria-label={t("lotShare.qr")} data-testid="share-qr" dangerouslySetInnerHTML={{ __html: qrSvg }} />
    </section>
  );
}

/** The lot's two documents, each to read on its page or download as a PDF. */
export function LotDocumentLinks({ lotId }: { lotId: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="documents-heading" data-testid="lot-documents">
      <h2 id="documents-heading">{t("lotDocs.documentsTitle")}</h2>
      <p>{t("lotDocs.documentsLead")}</p>
      <ul className="plain-list">
        {(["announcement", "notice"] as const).map((kind) => (
          <li key={kind}>
            <Link to={`/lots/${lotId}/${kind}`} data-testid={`${kind}-link`}>
              {t(`lotDocs.${kind}`)}
            </Link>{" "}
            · <a href={`/lots/${lotId}/${kind}.pdf`}>{t("lotDocs.pdf")}</a>
          </li>
        ))}
      </ul>
      <p className="hint">{t("lotDocs.pdfLanguage")}</p>
    </section>
  );
}

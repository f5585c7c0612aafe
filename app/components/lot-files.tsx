import { useTranslation } from "react-i18next";

export interface LotFileRow {
  id: string;
  kind: string;
  title: string;
  sizeBytes: number;
  sha256: string;
}

/** B8: the lot's photos (shown) and documents (linked, with size and SHA-256 so a copy can be checked). */
export function LotFiles({ lotId, files }: { lotId: string; files: LotFileRow[] }) {
  const { t } = useTranslation();
  const photos = files.filter((f) => f.kind === "photo");
  const documents = files.filter((f) => f.kind === "document");
  if (files.length === 0) return <p data-testid="no-files">{t("files.none")}</p>;
  return (
    <div data-testid="lot-files">
      {photos.length > 0 && (
        <ul className="photo-grid">
          {photos.map((p) => (
            <li key={p.id}>
              <a href={`/lots/${lotId}/files/${p.id}`}>
                <img src={`/lots/${lotId}/files/${p.id}`} alt={p.title} loading="lazy" />
              </a>
              <span className="caption">{p.title}</span>
            </li>
          ))}
        </ul>
      )}
      {documents.length > 0 && (
        <ul className="plain-list">
          {documents.map((d) => (
            <li key={d.id}>
              <a href={`/lots/${lotId}/files/${d.id}`}>{d.title}</a> <span className="hint">(PDF, {Math.ceil(d.sizeBytes / 1024)} KB · SHA-256 {d.sha256.slice(0, 12)}…)</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

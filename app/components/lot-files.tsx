import { useTranslation } from "react-i18next";
import { PhotoGallery } from "./photo-gallery.tsx";

export interface LotFileRow {
  id: string;
  kind: string;
  title: string;
  sizeBytes: number;
  sha256: string;
}

const MB = 1024 * 1024;

/**
 * B8: the lot's photos (a gallery with a lightbox), videos (played in the page) and documents (linked); videos and
 * documents with their size and SHA-256, so that a downloaded copy can be checked.
 */
export function LotFiles({ lotId, files }: { lotId: string; files: LotFileRow[] }) {
  const { t } = useTranslation();
  const href = (f: LotFileRow) => `/lots/${lotId}/files/${f.id}`;
  const photos = files.filter((f) => f.kind === "photo");
  const videos = files.filter((f) => f.kind === "video");
  const documents = files.filter((f) => f.kind === "document");
  if (files.length === 0) return <p data-testid="no-files">{t("files.none")}</p>;
  return (
    <div data-testid="lot-files">
      {photos.length > 0 && <PhotoGallery photos={photos.map((p) => ({ id: p.id, title: p.title, href: href(p) }))} />}
      {videos.map((v) => (
        <figure key={v.id} className="lot-video" data-testid="lot-video">
          {/* The server answers range requests, so the player fetches only what it plays and can seek. */}
          <video controls preload="metadata" src={href(v)} aria-label={v.title}>
            {t("video.unsupported")}
          </video>
          <figcaption>
            {v.title}{" "}
            <a href={href(v)} download>
              {t("video.download")}
            </a>{" "}
            <span className="hint">({(v.sizeBytes / MB).toFixed(1)} MB)</span>
            <br />
            <span className="hint">
              {t("video.hash")} <code className="hash" data-testid="video-sha256">{v.sha256}</code>
            </span>
          </figcaption>
        </figure>
      ))}
      {documents.length > 0 && (
        <ul className="plain-list">
          {documents.map((d) => (
            <li key={d.id}>
              <a href={href(d)}>{d.title}</a> <span className="hint">(PDF, {Math.ceil(d.sizeBytes / 1024)} KB · SHA-256 {d.sha256.slice(0, 12)}…)</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

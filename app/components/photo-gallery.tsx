import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { useTranslation } from "react-i18next";

export interface GalleryPhoto {
  id: string;
  title: string;
  href: string;
}

/**
 * B8: the lot's photos as thumbnails, each a link to the full image (so they work without JavaScript), opened in a
 * lightbox once the page is live: a modal <dialog> (the page behind is inert, focus stays inside), previous and next
 * by buttons or the arrow keys, Esc or the close button to leave, and focus back on the thumbnail it came from.
 */
export function PhotoGallery({ photos }: { photos: GalleryPhoto[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const thumbs = useRef<(HTMLAnchorElement | null)[]>([]);
  // The thumbnail to give focus back to when the lightbox closes.
  const opener = useRef<number | null>(null);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open !== null && !d.open) {
      d.showModal();
      closeButton.current?.focus();
    }
    if (open === null && d.open) d.close();
  }, [open]);

  const show = (index: number) => (event: MouseEvent<HTMLAnchorElement>) => {
    // A new tab or window, or a download, as the person asked: the link's own behaviour.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    opener.current = index;
    setOpen(index);
  };
  const step = (by: number) => setOpen((i) => (i === null ? null : (i + by + photos.length) % photos.length));
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === "ArrowRight") step(1);
    else if (event.key === "ArrowLeft") step(-1);
    else return;
    event.preventDefault();
  };
  // Esc (the dialog's own cancel), the close button and a click on the backdrop all end here.
  const onClose = () => {
    setOpen(null);
    const back = opener.current;
    opener.current = null;
    if (back !== null) thumbs.current[back]?.focus();
  };

  const current = open === null ? null : photos[open];
  return (
    <>
      <ul className="photo-grid" data-testid="photo-gallery">
        {photos.map((p, i) => (
          <li key={p.id}>
            <a
              href={p.href}
              onClick={show(i)}
              ref={(el) => {
                thumbs.current[i] = el;
              }}
              aria-label={t("gallery.openNamed", { name: p.title })}
              data-testid="gallery-thumb"
            >
              <img src={p.href} alt={p.title} loading="lazy" />
            </a>
            <span className="caption">{p.title}</span>
          </li>
        ))}
      </ul>
      <dialog
        ref={dialog}
        className="lightbox"
        // Named by the photo's caption while open; the caption is not there while it is closed.
        aria-labelledby={current ? "lightbox-caption" : undefined}
        aria-label={current ? undefined : t("gallery.dialog")}
        onClose={onClose}
        onKeyDown={onKeyDown}
        // A click on the backdrop (the dialog itself, outside its content) closes it, as people expect.
        onClick={(event) => {
          if (event.target === dialog.current) dialog.current?.close();
        }}
        data-testid="lightbox"
      >
        {current && (
          <figure className="lightbox__figure">
            <img src={current.href} alt={current.title} className="lightbox__image" />
            <figcaption id="lightbox-caption" aria-live="polite">
              {current.title}{" "}
              <span className="hint">
                {open! + 1} / {photos.length}
              </span>
            </figcaption>
          </figure>
        )}
        <p className="hint">{t("gallery.keys")}</p>
        <div className="lightbox__controls">
          {photos.length > 1 && (
            <>
              <button type="button" className="button button--secondary" onClick={() => step(-1)} data-testid="lightbox-previous">
                {t("gallery.previous")}
              </button>
              <button type="button" className="button button--secondary" onClick={() => step(1)} data-testid="lightbox-next">
                {t("gallery.next")}
              </button>
            </>
          )}
          {current && (
            <a href={current.href} className="lightbox__full" target="_blank" rel="noopener">
              {t("gallery.fullSize")}
            </a>
          )}
          <button type="button" className="button" onClick={() => dialog.current?.close()} ref={closeButton} data-testid="lightbox-close">
            {t("gallery.close")}
          </button>
        </div>
      </dialog>
    </>
  );
}

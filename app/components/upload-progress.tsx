import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { FormFailureData } from "./form-fields.tsx";

type Failure = Pick<FormFailureData, "fields" | "messages"> & Partial<Pick<FormFailureData, "values" | "form">>;

/**
 * A file upload form that works without JavaScript and shows progress with it.
 *
 * Without JavaScript it is a plain multipart form: the browser posts it to the page, the action answers
 * with a redirect or with the page and its errors. With JavaScript the same form is sent with
 * XMLHttpRequest so a <progress> bar can follow the upload; then:
 * - the action redirected (success): the app navigates to where it was sent;
 * - the action refused: the page it rendered carries the failure on this form's `data-failure`, which is
 *   read back and shown in place, exactly as the server rendered it for the no-JavaScript case.
 * A file larger than `maxBytes` is refused before a single byte is sent.
 */
export function UploadForm({
  id,
  failure,
  maxBytes,
  fileField = "file",
  tooLarge,
  className,
  children,
}: {
  /** Unique on the page: the failure is found again by this id. */
  id: string;
  /** The failure the server rendered (from the action data), if it belongs to this form. */
  failure: Failure | undefined;
  maxBytes: number;
  fileField?: string;
  /** Message key for a file over `maxBytes`. */
  tooLarge: string;
  className?: string;
  children: (failure: Failure | undefined, busy: boolean) => ReactNode;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [local, setLocal] = useState<Failure | undefined>(undefined);
  const [progress, setProgress] = useState<number | null>(null);
  const request = useRef<XMLHttpRequest | null>(null);
  // A new server answer (another submission, a navigation) replaces what this form showed.
  useEffect(() => setLocal(undefined), [failure]);
  useEffect(() => () => request.current?.abort(), []);
  const shown = local ?? failure;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    if (typeof XMLHttpRequest === "undefined" || typeof DOMParser === "undefined") return; // let the browser post it
    event.preventDefault();
    const form = event.currentTarget;
    const input = form.elements.namedItem(fileField);
    const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
    if (file && file.size > maxBytes) {
      setLocal({ fields: { [fileField]: tooLarge }, messages: [] });
      return;
    }
    const body = new FormData(form);
    const target = new URL(form.action, window.location.href);
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    setLocal(undefined);
    setProgress(0);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) setProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      setProgress(null);
      request.current = null;
      const landed = new URL(xhr.responseURL || target.href);
      if (xhr.status < 400 && landed.href !== target.href) {
        void navigate(landed.pathname + landed.search);
        return;
      }
      const page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      const raw = page.getElementById(id)?.getAttribute("data-failure");
      if (raw) {
        try {
          setLocal(JSON.parse(raw) as Failure);
          return;
        } catch {
          // fall through to the generic message
        }
      }
      if (xhr.status < 400) {
        void navigate(landed.pathname + landed.search, { replace: true });
        return;
      }
      const code = xhr.status === 403 ? "FORBIDDEN" : xhr.status === 404 ? "NOT_FOUND" : xhr.status === 401 ? "UNAUTHENTICATED" : "INTERNAL";
      setLocal({ fields: {}, messages: [xhr.status === 413 ? tooLarge : `errors.${code}`] });
    };
    xhr.onerror = () => {
      setProgress(null);
      request.current = null;
      setLocal({ fields: {}, messages: ["agencyPortal.upload.failed"] });
    };
    xhr.open("POST", target.href);
    xhr.send(body);
  }

  const busy = progress !== null;
  return (
    <form
      id={id}
      method="post"
      encType="multipart/form-data"
      noValidate
      className={className}
      onSubmit={onSubmit}
      aria-busy={busy || undefined}
      data-failure={failure ? JSON.stringify({ form: failure.form, fields: failure.fields, messages: failure.messages, values: failure.values }) : undefined}
    >
      {children(shown, busy)}
      {busy && (
        <div className="field" role="status" data-testid="upload-progress">
          <label htmlFor={`${id}-progress`}>
            {t("agencyPortal.upload.progress")} {progress}%
          </label>
          <progress id={`${id}-progress`} max={100} value={progress}>
            {progress}%
          </progress>
        </div>
      )}
    </form>
  );
}

import { useTranslation } from "react-i18next";

export type FieldErrors = Record<string, string>;

/** GOV.UK-style error summary: focused on render, each message links to its field. */
export function ErrorSummary({ errors, formError }: { errors?: FieldErrors; formError?: string }) {
  const { t } = useTranslation();
  const entries = Object.entries(errors ?? {}).filter(([field]) => field !== "_form");
  if (!formError && entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={(el) => el?.focus()} data-testid="error-summary">
      <h2 className="error-summary__title">{t("form.errorSummary")}</h2>
      <ul>
        {formError && <li>{t(formError)}</li>}
        {entries.map(([field, message]) => (
          <li key={field}>
            <a href={`#${field}`}>
              {t(`fields.${field}`)}: {t(message)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function TextField(props: {
  name: string;
  type?: string;
  error?: string;
  defaultValue?: string;
  autoComplete?: string;
  hint?: string;
  maxLength?: number;
  inputMode?: "text" | "numeric" | "tel";
}) {
  const { t } = useTranslation();
  const { name, error } = props;
  const describedBy = [props.hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field field--error" : "field"}>
      <label htmlFor={name}>{t(`fields.${name}`)}</label>
      {props.hint && (
        <p id={`${name}-hint`} className="hint">
          {t(props.hint)}
        </p>
      )}
      {error && (
        <p id={`${name}-error`} className="field-error">
          {t(error)}
        </p>
      )}
      <input
        id={name}
        name={name}
        type={props.type ?? "text"}
        defaultValue={props.defaultValue}
        autoComplete={props.autoComplete}
        maxLength={props.maxLength}
        inputMode={props.inputMode}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
}

import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Form } from "react-router";

export type FieldErrors = Record<string, string>;

/** The shape a form action returns when it refuses (see app/lib/forms.server.ts). */
export interface FormFailureData {
  form: string;
  fields: FieldErrors;
  messages: string[];
  values: Record<string, string>;
}

/** The failure if it belongs to `form` (a page with several forms shows each its own errors). */
export function failureFor(actionData: unknown, form: string): FormFailureData | undefined {
  const d = actionData as FormFailureData | undefined;
  return d && typeof d === "object" && d.form === form ? d : undefined;
}

/**
 * GOV.UK-style error summary: focused on render, each field message links to its field; page-level
 * messages (a rule about the whole form, a refusal code) are listed first. `labels` overrides the
 * field label keys (default `fields.<name>`).
 */
export function ProblemSummary({ failure, labels }: { failure?: Pick<FormFailureData, "fields" | "messages">; labels?: Record<string, string> }) {
  const { t } = useTranslation();
  if (!failure) return null;
  const entries = Object.entries(failure.fields).filter(([field]) => field !== "_form");
  const messages = [...failure.messages, ...(failure.fields._form ? [failure.fields._form] : [])];
  if (messages.length === 0 && entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={(el) => el?.focus()} data-testid="error-summary">
      <h2 className="error-summary__title">{t("form.errorSummary")}</h2>
      <ul>
        {messages.map((m, i) => (
          <li key={`${i}-${m}`}>{t(m)}</li>
        ))}
        {entries.map(([field, message]) => (
          <li key={field}>
            <a href={`#${field}`}>
              {t(labels?.[field] ?? `fields.${field}`)}: {t(message)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  name: string;
  /** Label key; default `fields.<name>`. */
  label?: string;
  /** Already translated hint text. */
  hint?: ReactNode;
  error?: string;
}

function describedBy(name: string, hint: ReactNode, error?: string) {
  return [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
}

/** A field's hint and error message, with the ids its control's aria-describedby points to. */
function FieldMessages({ name, hint, error }: Pick<FieldProps, "name" | "hint" | "error">) {
  const { t } = useTranslation();
  return (
    <>
      {hint && (
        <p id={`${name}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${name}-error`} className="field-error">
          {t(error)}
        </p>
      )}
    </>
  );
}

/**
 * A field's error as shown: it clears once the person changes what was refused (`refused`: the value the error is
 * about), and comes back if they return to it; the next submission judges the field again. Without JavaScript
 * the error stays until then. Returns the error to show and the change handler for the field's frame.
 */
function useShownError(error: string | undefined, refused: string | undefined) {
  const [now, setNow] = useState<string | null>(null);
  const onChange = (event: FormEvent<HTMLElement>) => {
    const target = event.target as HTMLInputElement;
    if (target.type === "checkbox") setNow(target.checked ? "on" : "");
    else if (target.type === "file") setNow(target.files?.length ? "chosen" : "");
    else setNow(target.value);
  };
  return { shown: error && (now === null || now === (refused ?? "")) ? error : undefined, onChange };
}

function FieldFrame({ name, label, hint, error, children, id, onChange }: FieldProps & { children: ReactNode; id?: string; onChange?: (event: FormEvent<HTMLElement>) => void }) {
  const { t } = useTranslation();
  return (
    <div className={error ? "field field--error" : "field"} onChange={onChange}>
      <label htmlFor={id ?? name}>{t(label ?? `fields.${name}`)}</label>
      <FieldMessages name={name} hint={hint} error={error} />
      {children}
    </div>
  );
}

/** A text input; `prefix` shows a unit before it (¥ for amounts typed in yuan). */
export function Input(
  props: FieldProps & {
    defaultValue?: string;
    type?: "text" | "date" | "datetime-local" | "tel" | "password" | "email";
    inputMode?: "text" | "numeric" | "decimal" | "tel";
    autoComplete?: string;
    maxLength?: number;
    prefix?: string;
    width?: "short" | "medium";
  },
) {
  const { name } = props;
  const { shown: error, onChange } = useShownError(props.error, props.defaultValue);
  const input = (
    <input
      id={name}
      name={name}
      type={props.type ?? "text"}
      defaultValue={props.defaultValue}
      inputMode={props.inputMode}
      autoComplete={props.autoComplete ?? "off"}
      maxLength={props.maxLength}
      spellCheck={false}
      className={props.width ? `input--${props.width}` : undefined}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(name, props.hint, error)}
    />
  );
  return (
    <FieldFrame {...props} error={error} onChange={onChange}>
      {props.prefix ? (
        <div className="input-wrapper">
          <span className="input-prefix" aria-hidden="true">
            {props.prefix}
          </span>
          {input}
        </div>
      ) : (
        input
      )}
    </FieldFrame>
  );
}

/** An amount typed in yuan: "1,234.56" or "1234.56". */
export function MoneyInput(props: FieldProps & { defaultValue?: string }) {
  return <Input {...props} prefix="¥" inputMode="decimal" maxLength={24} width="medium" />;
}

export function TextArea(props: FieldProps & { defaultValue?: string; rows?: number; maxLength?: number }) {
  const { name } = props;
  const { shown: error, onChange } = useShownError(props.error, props.defaultValue);
  return (
    <FieldFrame {...props} error={error} onChange={onChange}>
      <textarea
        id={name}
        name={name}
        rows={props.rows ?? 3}
        defaultValue={props.defaultValue}
        maxLength={props.maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, props.hint, error)}
      />
    </FieldFrame>
  );
}

export function Select(props: FieldProps & { options: { value: string; label: string }[]; defaultValue?: string; emptyLabel?: string }) {
  const { name } = props;
  const { shown: error, onChange } = useShownError(props.error, props.defaultValue ?? "");
  return (
    <FieldFrame {...props} error={error} onChange={onChange}>
      <select id={name} name={name} defaultValue={props.defaultValue ?? ""} aria-invalid={error ? true : undefined} aria-describedby={describedBy(name, props.hint, error)}>
        {props.emptyLabel !== undefined && <option value="">{props.emptyLabel}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** Radio buttons in a fieldset; the first button carries the field's id, for the error summary's link. */
export function Radios(props: FieldProps & { options: { value: string; label: string }[]; defaultValue?: string }) {
  const { t } = useTranslation();
  const { name, hint } = props;
  const { shown: error, onChange } = useShownError(props.error, props.defaultValue);
  return (
    <fieldset className={error ? "field field--error" : "field"} aria-describedby={describedBy(name, hint, error)} onChange={onChange}>
      <legend>{t(props.label ?? `fields.${name}`)}</legend>
      <FieldMessages name={name} hint={hint} error={error} />
      {props.options.map((o, i) => (
        <label className="radio" key={o.value}>
          <input type="radio" id={i === 0 ? name : `${name}-${o.value}`} name={name} value={o.value} defaultChecked={props.defaultValue === o.value} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** One checkbox with its own label; group several inside a fieldset with a legend. */
export function Checkbox({ name, label, error: refusal, defaultChecked }: { name: string; label: string; error?: string; defaultChecked?: boolean }) {
  const { t } = useTranslation();
  const { shown: error, onChange } = useShownError(refusal, defaultChecked ? "on" : "");
  return (
    <div className={error ? "checkbox-item field--error" : "checkbox-item"} onChange={onChange}>
      <FieldMessages name={name} error={error} />
      <label className="checkbox">
        <input type="checkbox" id={name} name={name} value="on" defaultChecked={defaultChecked} aria-describedby={error ? `${name}-error` : undefined} />
        <span>{t(label)}</span>
      </label>
    </div>
  );
}

/** A file input; `accept` narrows the picker, the server still checks the bytes. */
export function FileInput(props: FieldProps & { accept: string }) {
  const { name } = props;
  const { shown: error, onChange } = useShownError(props.error, "");
  return (
    <FieldFrame {...props} error={error} onChange={onChange}>
      <input id={name} name={name} type="file" accept={props.accept} aria-invalid={error ? true : undefined} aria-describedby={describedBy(name, props.hint, error)} />
    </FieldFrame>
  );
}

/**
 * A post form folded under its summary line ("Add a party"). It is open when it came back refused, so
 * its errors are in view. `intent` tells an action that serves several forms which one this is.
 */
export function FoldedForm({ summary, open, intent, testId, children }: { summary: string; open: boolean; intent?: string; testId?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <details className="details" open={open}>
      <summary>{t(summary)}</summary>
      <Form method="post" noValidate className="narrow" data-testid={testId}>
        {intent && <input type="hidden" name="intent" value={intent} />}
        {children}
      </Form>
    </details>
  );
}

/** One button posting hidden `fields`, inline in a table row or a sentence; `ariaLabel` names what it acts on. */
export function ActionButton({ fields, label, className = "button", ariaLabel }: { fields: Record<string, string>; label: string; className?: string; ariaLabel?: string }) {
  const { t } = useTranslation();
  return (
    <Form method="post" className="inline-form">
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} key={name} />
      ))}
      <button type="submit" className={className} aria-label={ariaLabel}>
        {t(label)}
      </button>
    </Form>
  );
}

import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";

/** A step with nothing to type: one button in its own form, posting the step's intent (and the row's id) to the page. */
export function StepButton({ intent, label, fields = {}, testId, secondary = false }: { intent: string; label: string; fields?: Record<string, string>; testId?: string; secondary?: boolean }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([k, v]) => (
        <input type="hidden" name={k} value={v} key={k} />
      ))}
      <button type="submit" className={secondary ? "button button--secondary" : "button"} disabled={busy} data-testid={testId}>
        {t(label)}
      </button>
    </Form>
  );
}

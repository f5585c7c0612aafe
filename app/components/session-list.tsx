import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import { DataTable } from "./data-table.tsx";
import { DateTime } from "./auction.tsx";
import { formatDateTime } from "../lib/format.ts";

export interface SessionRow {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/**
 * The account page's list of the user's open sessions: when each began and was last used, and from where. The
 * user ends any other one, or all others at once (POST /account/sessions); this one ends by signing out.
 */
export function SessionList({ sessions }: { sessions: SessionRow[] }) {
  const { t, i18n } = useTranslation();
  const others = sessions.filter((s) => !s.current);
  return (
    <section id="sessions" data-testid="account-sessions">
      <h2>{t("sessions.heading")}</h2>
      <p>{t("sessions.lead")}</p>
      <DataTable
        rows={sessions}
        rowKey={(s) => s.id}
        rowData={(s) => ({ "data-session": s.id })}
        columns={[
          { header: "sessions.started", cell: (s) => <DateTime iso={s.createdAt} /> },
          { header: "sessions.lastUsed", cell: (s) => <DateTime iso={s.lastUsedAt} /> },
          {
            header: "sessions.from",
            cell: (s) =>
              s.ip || s.userAgent ? (
                <>
                  {s.ip}
                  {s.userAgent && <div className="hint">{s.userAgent}</div>}
                </>
              ) : (
                t("sessions.notRecorded")
              ),
          },
          {
            header: "sessions.end",
            cell: (s) =>
              s.current ? (
                <strong>{t("sessions.current")}</strong>
              ) : (
                <Form method="post" action="/account/sessions" className="inline-form">
                  <input type="hidden" name="sessionId" value={s.id} />
                  <button type="submit" className="button button--warning" aria-label={t("sessions.endNamed", { name: formatDateTime(s.createdAt, i18n.language) })}>
                    {t("sessions.end")}
                  </button>
                </Form>
              ),
          },
        ]}
      />
      {others.length > 0 ? (
        <Form method="post" action="/account/sessions">
          <input type="hidden" name="sessionId" value="others" />
          <button type="submit" className="button button--secondary">
            {t("sessions.endOthers")}
          </button>
        </Form>
      ) : (
        <p>{t("sessions.noOthers")}</p>
      )}
    </section>
  );
}

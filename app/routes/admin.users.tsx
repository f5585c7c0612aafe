import { useTranslation } from "react-i18next";
import { data, Form } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.users";
import { parseInput } from "../../core/validation.ts";
import { listUsers, revokeSessions, setUserDisabled } from "../../identity/index.ts";
import { DataTable } from "../components/data-table.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { readForm } from "../lib/forms.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("admin.users.title");

export async function loader({ request, context }: Route.LoaderArgs) {
  requirePageUser(request, context, "users.manage");
  const { db, clock } = services(context);
  return { users: await listUsers(db, clock) };
}

const actionSchema = z.object({
  intent: z.enum(["revoke", "disable", "enable"]),
  userId: z.uuid(),
});

export async function action({ request, context }: Route.ActionArgs) {
  const admin = requirePageUser(request, context, "users.manage");
  const parsed = parseInput(actionSchema, await readForm(request));
  if (!parsed.ok) return data({ ok: false as const }, { status: 400 });
  const { db, clock } = services(context);
  const { intent, userId } = parsed.data;
  try {
    if (intent === "revoke") await revokeSessions(db, clock, admin, userId);
    else await setUserDisabled(db, clock, admin, userId, intent === "disable");
  } catch (error) {
    throw asPageError(error);
  }
  return { ok: true as const };
}

export default function AdminUsers({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <div>
      <h1>{t("admin.users.title")}</h1>
      <p className="lead">{t("admin.users.revokeExplained")}</p>
      <DataTable
        rows={loaderData.users}
        rowKey={(u) => u.id}
        rowData={(u) => ({ "data-username": u.username })}
        columns={[
          { header: "account.username", cell: (u) => u.username },
          { header: "account.name", cell: (u) => u.displayName },
          { header: "account.role", cell: (u) => t(`roles.${u.role}`) },
          { header: "account.court", cell: (u) => u.courtName ?? "—" },
          { header: "admin.users.sessions", cell: (u) => (u.disabled ? t("admin.users.disabled") : u.activeSessions) },
          { header: "admin.users.tokens", cell: (u) => u.activeTokens },
          {
            header: "admin.users.actions",
            className: "actions",
            cell: (u) => (
              <Form method="post">
                <input type="hidden" name="userId" value={u.id} />
                <button type="submit" name="intent" value="revoke" className="button button--secondary" disabled={u.activeSessions === 0 && u.activeTokens === 0}>
                  {t("admin.users.revoke")}
                </button>
                <button type="submit" name="intent" value={u.disabled ? "enable" : "disable"} className="button button--warning">
                  {t(u.disabled ? "admin.users.enable" : "admin.users.disable")}
                </button>
              </Form>
            ),
          },
        ]}
      />
    </div>
  );
}

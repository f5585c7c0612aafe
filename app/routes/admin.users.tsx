import { useTranslation } from "react-i18next";
import { data, Form, redirect, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.users";
import { parseInput } from "../../core/validation.ts";
import { listUsers, revokeSessions, setStaffIdentityNumber, setUserDisabled, STAFF_ROLES } from "../../identity/index.ts";
import { SuccessBanner } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { failureFor, Input, ProblemSummary, Select } from "../components/form-fields.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formValues, readForm, refusal } from "../lib/forms.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("admin.users.title");

export async function loader({ request, context }: Route.LoaderArgs) {
  requirePageUser(request, context, "users.manage");
  const { db, clock } = services(context);
  const users = await listUsers(db, clock);
  const staffIdSet = new URL(request.url).searchParams.get("done") === "staffId";
  return { users, staff: users.filter((u) => STAFF_ROLES.includes(u.role as never)).map((u) => ({ id: u.id, label: `${u.username} · ${u.displayName}` })), staffIdSet };
}

const actionSchema = z.object({
  intent: z.enum(["revoke", "disable", "enable"]),
  userId: z.uuid(),
});

export async function action({ request, context }: Route.ActionArgs) {
  const admin = requirePageUser(request, context, "users.manage");
  const form = await readForm(request);
  // C7: a staff member's resident ID, so the bidding bar knows them under any account.
  if (form.get("intent") === "staffId") {
    const values = formValues(form);
    try {
      await setStaffIdentityNumber(services(context).db, services(context).clock, admin, { userId: values.userId ?? "", staffIdentityNumber: values.staffIdentityNumber ?? "" });
    } catch (error) {
      return refusal(error, "staffId", values, { formFields: ["userId", "staffIdentityNumber"] });
    }
    return redirect("/admin/users?done=staffId");
  }
  const parsed = parseInput(actionSchema, form);
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

export default function AdminUsers({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const failure = failureFor(actionData, "staffId");
  return (
    <div>
      <h1>{t("admin.users.title")}</h1>
      {loaderData.staffIdSet && <SuccessBanner>{t("admin.users.staffIdSet")}</SuccessBanner>}
      <ProblemSummary failure={failure} labels={{ userId: "admin.users.staffAccount", staffIdentityNumber: "admin.users.staffIdentityNumber" }} />
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
          { header: "admin.users.staffId", className: "nowrap", cell: (u) => u.staffIdentityMasked ?? "—" },
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

      <section aria-labelledby="staff-id" className="form-section">
        <h2 id="staff-id">{t("admin.users.staffIdTitle")}</h2>
        <p>{t("admin.users.staffIdLead")}</p>
        <Form method="post" noValidate className="narrow" data-testid="staff-id-form">
          <input type="hidden" name="intent" value="staffId" />
          <Select name="userId" label="admin.users.staffAccount" defaultValue={failure?.values.userId} error={failure?.fields.userId} emptyLabel={t("form.choose")} options={loaderData.staff.map((u) => ({ value: u.id, label: u.label }))} />
          <Input name="staffIdentityNumber" label="admin.users.staffIdentityNumber" defaultValue={failure?.values.staffIdentityNumber} error={failure?.fields.staffIdentityNumber} maxLength={18} width="medium" hint={t("admin.users.staffIdentityHint")} autoComplete="off" />
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("admin.users.staffIdSubmit")}
          </button>
        </Form>
      </section>
    </div>
  );
}

import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import type { Route } from "./+types/account.tokens";
import { apiTokenSchema, createApiToken, listApiTokens, revokeApiToken } from "../../identity/index.ts";
import { DateTime } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { ActionButton, Input, ProblemSummary, failureFor } from "../components/form-fields.tsx";
import { formFailure, formValues, pageId, parseForm, refusal } from "../lib/forms.server.ts";
import { requirePageUser, services } from "../lib/http.server.ts";

export const meta: Route.MetaFunction = () => [{ title: "API 令牌 API tokens" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "api.tokens");
  const tokens = await listApiTokens(services(context).db, user);
  return { tokens: tokens.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), revokedAt: t.revokedAt?.toISOString() ?? null })) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "api.tokens");
  const { db, clock } = services(context);
  const values = formValues(await request.formData());
  if (values.intent === "revoke") {
    try {
      await revokeApiToken(db, clock, user, pageId(values.tokenId));
    } catch (error) {
      return refusal(error, "revoke", values, { formFields: [] });
    }
    return { created: null };
  }
  const parsed = parseForm(apiTokenSchema, values);
  if (!parsed.ok) return formFailure("create", values, parsed.fields, [], 400);
  // The token is shown once, in this response, and never again.
  return { created: (await createApiToken(db, clock, user, parsed.data.name)).token };
}

export default function ApiTokens({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const failure = failureFor(actionData, "create");
  const created = actionData && "created" in actionData ? actionData.created : null;
  return (
    <div>
      <h1>{t("tokens.title")}</h1>
      <p className="lead">{t("tokens.lead")}</p>
      {created && (
        <div className="inset-text" data-testid="new-token">
          <p>{t("tokens.createdOnce")}</p>
          <p>
            <code className="token">{created}</code>
          </p>
        </div>
      )}
      <ProblemSummary failure={failure} />
      <Form method="post" noValidate className="narrow">
        <input type="hidden" name="intent" value="create" />
        <Input name="name" label="tokens.name" error={failure?.fields.name} maxLength={100} hint={t("tokens.nameHint")} />
        <button type="submit" className="button">
          {t("tokens.create")}
        </button>
      </Form>
      <h2>{t("tokens.existing")}</h2>
      <DataTable
        rows={loaderData.tokens}
        rowKey={(token) => token.id}
        empty={<p>{t("tokens.none")}</p>}
        columns={[
          { header: "tokens.name", cell: (token) => token.name },
          { header: "tokens.createdAt", cell: (token) => <DateTime iso={token.createdAt} /> },
          {
            header: "tokens.state",
            cell: (token) =>
              token.revokedAt ? (
                <>
                  {t("tokens.revokedAt")} <DateTime iso={token.revokedAt} />
                </>
              ) : (
                <ActionButton fields={{ intent: "revoke", tokenId: token.id }} label="tokens.revoke" className="button button--warning" ariaLabel={t("tokens.revokeNamed", { name: token.name })} />
              ),
          },
        ]}
      />
    </div>
  );
}

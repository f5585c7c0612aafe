import { useTranslation } from "react-i18next";
import { Form } from "react-router";
import type { Route } from "./+types/account.tokens";
import { apiTokenSchema, createApiToken, DEFAULT_TOKEN_LIFETIME_DAYS, listApiTokens, revokeApiToken, scopesForRole, TOKEN_LIFETIMES_DAYS, type ApiScope } from "../../identity/index.ts";
import { DateTime } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { ActionButton, Input, ProblemSummary, Radios, failureFor } from "../components/form-fields.tsx";
import { formFailure, formValues, pageId, parseForm, refusal, readForm } from "../lib/forms.server.ts";
import { requirePageUser, services } from "../lib/http.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("tokens.title");

const SCOPE_LABELS: Record<ApiScope, string> = {
  "cases:read": "tokens.scope.casesRead",
  "cases:write": "tokens.scope.casesWrite",
  "lots:write": "tokens.scope.lotsWrite",
  "appraisal:read": "tokens.scope.appraisalRead",
  "appraisal:write": "tokens.scope.appraisalWrite",
  "admin:read": "tokens.scope.adminRead",
  "admin:write": "tokens.scope.adminWrite",
};
const LIFETIME_LABELS: Record<number, string> = {
  30: "tokens.lifetime.d30",
  90: "tokens.lifetime.d90",
  180: "tokens.lifetime.d180",
  365: "tokens.lifetime.d365",
};
const FIELD_LABELS = { name: "tokens.name", expiresInDays: "tokens.expiresInDays", scopes: "tokens.scopes" };

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "api.tokens");
  const { db, clock } = services(context);
  const now = clock.now();
  const tokens = await listApiTokens(db, user);
  return {
    tokens: tokens.map((t) => ({
      ...t,
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt.toISOString(),
      expired: t.expiresAt <= now,
      revokedAt: t.revokedAt?.toISOString() ?? null,
    })),
    offered: scopesForRole(user.role),
    // The component gets these as data: identity's modules stay on the server.
    lifetimes: [...TOKEN_LIFETIMES_DAYS] as number[],
    defaultLifetime: DEFAULT_TOKEN_LIFETIME_DAYS,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "api.tokens");
  const { db, clock } = services(context);
  const form = await readForm(request);
  const values = formValues(form);
  if (values.intent === "revoke") {
    try {
      await revokeApiToken(db, clock, user, pageId(values.tokenId));
    } catch (error) {
      return refusal(error, "revoke", values, { formFields: [] });
    }
    return { created: null };
  }
  // One `scopes` field per ticked box; echoed back joined, so a refused form keeps its ticks.
  const scopes = form.getAll("scopes");
  const echoed = { ...values, scopes: scopes.filter((s) => typeof s === "string").join(",") };
  const parsed = parseForm(apiTokenSchema, values, {}, { scopes });
  if (!parsed.ok) return formFailure("create", echoed, parsed.fields, [], 400);
  try {
    // The token is shown once, in this response, and never again (the root middleware marks it no-store).
    const made = await createApiToken(db, clock, user, parsed.data.name, { expiresInDays: parsed.data.expiresInDays, scopes: parsed.data.scopes });
    return { created: made.token };
  } catch (error) {
    return refusal(error, "create", echoed, { formFields: ["name", "expiresInDays", "scopes"] });
  }
}

export default function ApiTokens({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const failure = failureFor(actionData, "create");
  const created = actionData && "created" in actionData ? actionData.created : null;
  const ticked = failure ? (failure.values.scopes ?? "").split(",") : null;
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
      <ProblemSummary failure={failure} labels={FIELD_LABELS} />
      <Form method="post" noValidate className="narrow">
        <input type="hidden" name="intent" value="create" />
        <Input name="name" label="tokens.name" error={failure?.fields.name} defaultValue={failure?.values.name} maxLength={100} hint={t("tokens.nameHint")} />
        <Radios
          name="expiresInDays"
          label="tokens.expiresInDays"
          error={failure?.fields.expiresInDays}
          defaultValue={failure?.values.expiresInDays ?? String(loaderData.defaultLifetime)}
          options={loaderData.lifetimes.map((d) => ({ value: String(d), label: t(LIFETIME_LABELS[d] ?? "") }))}
        />
        <fieldset className={failure?.fields.scopes ? "field field--error" : "field"} aria-describedby={failure?.fields.scopes ? "scopes-hint scopes-error" : "scopes-hint"}>
          <legend>{t("tokens.scopes")}</legend>
          <p id="scopes-hint" className="hint">
            {t("tokens.scopesHint")}
          </p>
          {failure?.fields.scopes && (
            <p id="scopes-error" className="field-error">
              {t(failure.fields.scopes)}
            </p>
          )}
          {loaderData.offered.map((scope, i) => (
            <div className="checkbox-item" key={scope}>
              <label className="checkbox">
                <input type="checkbox" id={i === 0 ? "scopes" : `scopes-${scope.replace(":", "-")}`} name="scopes" value={scope} defaultChecked={ticked ? ticked.includes(scope) : scope.endsWith(":read")} />
                <span>{t(SCOPE_LABELS[scope])}</span>
              </label>
            </div>
          ))}
        </fieldset>
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
          { header: "tokens.expiresAt", cell: (token) => <DateTime iso={token.expiresAt} /> },
          {
            header: "tokens.scopesColumn",
            cell: (token) => (
              <ul className="plain-list" data-testid="token-scopes">
                {token.scopes.map((scope) => (
                  <li key={scope}>{scope in SCOPE_LABELS ? t(SCOPE_LABELS[scope as ApiScope]) : scope}</li>
                ))}
              </ul>
            ),
          },
          {
            header: "tokens.state",
            cell: (token) =>
              token.revokedAt ? (
                <>
                  {t("tokens.revokedAt")} <DateTime iso={token.revokedAt} />
                </>
              ) : token.expired ? (
                t("tokens.expired")
              ) : (
                <ActionButton fields={{ intent: "revoke", tokenId: token.id }} label="tokens.revoke" className="button button--warning" ariaLabel={t("tokens.revokeNamed", { name: token.name })} />
              ),
          },
        ]}
      />
    </div>
  );
}

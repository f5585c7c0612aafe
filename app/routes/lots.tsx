import { useTranslation } from "react-i18next";
import { data, Form, Link } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/lots";
import { ASSET_CATEGORIES, listPublicLots, LOT_PHASES } from "../../auction/index.ts";
import { DateTime, Money, PhaseTag } from "../components/auction.tsx";
import { Input, ProblemSummary, Select } from "../components/form-fields.tsx";
import { listCourts } from "../../identity/index.ts";
import { services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";

export const meta: Route.MetaFunction = () => [{ title: "拍品 Lots · 人民法院司法拍卖与评估平台" }];

/** Public: every published lot, soonest close first, filtered by a GET form (works without JavaScript). */
export async function loader({ request, context }: Route.LoaderArgs) {
  // Built here, not at module level, so nothing of the server's modules reaches the browser bundle.
  const PUBLIC_PHASES = LOT_PHASES.filter((p) => p !== "draft");
  const filterSchema = {
    phase: z.enum(PUBLIC_PHASES as [string, ...string[]], { error: "validation.invalid" }),
    category: z.enum(ASSET_CATEGORIES, { error: "validation.invalid" }),
    region: z.string().regex(/^\d{1,6}$/, "validation.regionPrefix"),
    court: z.uuid({ error: "validation.invalid" }),
  };
  const { db, clock } = services(context);
  const params = new URL(request.url).searchParams;
  const values: Record<string, string> = {};
  const fields: Record<string, string> = {};
  const filters: Record<string, string> = {};
  for (const [name, schema] of Object.entries(filterSchema)) {
    const raw = params.get(name)?.trim().slice(0, 64) ?? "";
    values[name] = raw;
    if (raw === "") continue;
    const parsed = schema.safeParse(raw);
    // A bad filter is shown as an error and not applied.
    if (parsed.success) filters[name] = parsed.data;
    else fields[name] = parsed.error.issues[0]?.message.startsWith("validation.") ? parsed.error.issues[0].message : "validation.invalid";
  }
  const [lots, courts] = await Promise.all([
    listPublicLots(db, clock, {
      phase: filters.phase as (typeof LOT_PHASES)[number] | undefined,
      category: filters.category as (typeof ASSET_CATEGORIES)[number] | undefined,
      regionPrefix: filters.region,
      courtId: filters.court,
    }),
    listCourts(db),
  ]);
  const body = { lots: toPlain(lots), courts, phases: PUBLIC_PHASES, categories: [...ASSET_CATEGORIES], values, fields, filtered: Object.keys(filters).length > 0 };
  return Object.keys(fields).length > 0 ? data(body, { status: 400 }) : body;
}

const FILTER_LABELS = { phase: "lots.filters.phase", category: "lots.filters.category", region: "lots.filters.region", court: "lots.filters.court" };

export default function Lots({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { lots, courts, phases, categories, values, fields, filtered } = loaderData;
  return (
    <div>
      <h1>{t("lots.title")}</h1>
      <p className="lead">{t("lots.lead")}</p>
      <ProblemSummary failure={{ fields, messages: [] }} labels={FILTER_LABELS} />
      <Form method="get" className="filters" aria-label={t("lots.filters.label")}>
        <div className="filters__fields">
          <Select name="phase" label="lots.filters.phase" defaultValue={values.phase} error={fields.phase} emptyLabel={t("lots.filters.any")} options={phases.map((p) => ({ value: p, label: t(`phase.${p}`) }))} />
          <Select name="category" label="lots.filters.category" defaultValue={values.category} error={fields.category} emptyLabel={t("lots.filters.any")} options={categories.map((c) => ({ value: c, label: t(`category.${c}`) }))} />
          <Input name="region" label="lots.filters.region" defaultValue={values.region} error={fields.region} inputMode="numeric" maxLength={6} width="short" hint={t("lots.filters.regionHint")} />
          <Select name="court" label="lots.filters.court" defaultValue={values.court} error={fields.court} emptyLabel={t("lots.filters.any")} options={courts.map((c) => ({ value: c.id, label: c.name }))} />
        </div>
        <div className="actions-row">
          <button type="submit" className="button">
            {t("lots.filters.apply")}
          </button>
          {filtered && (
            <Link to="/lots" className="button button--secondary">
              {t("lots.filters.clear")}
            </Link>
          )}
        </div>
      </Form>

      <h2 className="results-count" data-testid="lot-count">
        {t("lots.count")} {lots.length}
      </h2>
      {lots.length === 0 ? (
        <p>{t("lots.empty")}</p>
      ) : (
        <ul className="lot-cards" data-testid="lot-list">
          {lots.map((lot) => (
            <li key={lot.id} className="lot-card" data-lot-id={lot.id}>
              <h3 className="lot-card__title">
                <Link to={`/lots/${lot.id}`}>{lot.title}</Link>
              </h3>
              <p className="lot-card__meta">
                <PhaseTag phase={lot.phase} /> <span>{t(`category.${lot.category}`)}</span> · <span>{lot.courtName}</span>
              </p>
              <dl className="lot-card__facts">
                <div>
                  <dt>{t(lot.currentPriceFen ? "lot.price.current" : "lot.price.starting")}</dt>
                  <dd>
                    <Money fen={lot.currentPriceFen ?? lot.startingPriceFen} className="money--strong" />
                  </dd>
                </div>
                <div>
                  <dt>{t(lot.phase === "announced" ? "lot.time.startsAt" : "lot.time.closesAt")}</dt>
                  <dd>
                    <DateTime iso={lot.phase === "announced" ? lot.biddingStartsAt : lot.closesAt} />
                  </dd>
                </div>
                <div>
                  <dt>{t("lot.bids.count")}</dt>
                  <dd>{lot.bidCount}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

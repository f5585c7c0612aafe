import { useTranslation } from "react-i18next";
import { data, Form, Link } from "react-router";
import type { Route } from "./+types/lots";
import { ASSET_CATEGORIES, HOUSING_CHOICES, LOT_ROUNDS, SEARCH_PAGE_SIZE, SEARCH_PUBLIC_PHASES, SEARCH_SORTS, searchLots, searchParams, type SearchPage } from "../../auction/index.ts";
import { isAppError } from "../../core/errors.ts";
import { parseYuan } from "../../core/money.ts";
import { cityNames, districtNames, provinceNames } from "../../core/regions.ts";
import { listCourts } from "../../identity/index.ts";
import { Checkbox, Input, ProblemSummary, Select } from "../components/form-fields.tsx";
import { DateTime, Money, PhaseTag } from "../components/auction.tsx";
import { services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";
import { shareTextBp } from "../lib/lot-documents.ts";

export const handle = pageTitle("lots.title");

/** The discount choices offered: the starting price at most this share of the reference price (in percent). */
const RATIO_CHOICES = ["90", "80", "70", "60", "50"] as const;
/** The page's price fields are typed in yuan; the search takes fen. */
const YUAN_FIELDS = { minPrice: "minPriceFen", maxPrice: "maxPriceFen" } as const;

/**
 * The public search: everything is in the query string, so a search is a link to share, and the form is a plain
 * GET form (works without JavaScript). Bad input is shown beside its field with a 400; nothing is searched then.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { db, clock } = services(context);
  const values = searchParams(new URL(request.url).searchParams);
  const input: Record<string, string> = { ...values, pageSize: String(SEARCH_PAGE_SIZE) };
  delete input.minPriceFen;
  delete input.maxPriceFen;
  const fields: Record<string, string> = {};
  for (const [yuan, fen] of Object.entries(YUAN_FIELDS)) {
    if (values[yuan] === undefined) continue;
    try {
      input[fen] = parseYuan(values[yuan]).toString();
    } catch {
      fields[yuan] = "validation.amountYuan";
    }
  }
  let result: SearchPage | null = null;
  if (Object.keys(fields).length === 0) {
    try {
      result = await searchLots(db, clock, input);
    } catch (error) {
      if (!isAppError(error) || !error.fields) throw error;
      const toPageField = Object.fromEntries(Object.entries(YUAN_FIELDS).map(([yuan, fen]) => [fen, yuan]));
      for (const [name, message] of Object.entries(error.fields)) fields[toPageField[name] ?? name] = message;
    }
  }
  const body = {
    result: result && toPlain(result),
    values,
    fields,
    courts: await listCourts(db),
    provinces: provinceNames(),
    cities: values.province ? cityNames(values.province) : [],
    districts: values.province && values.city ? districtNames(values.province, values.city) : [],
    phases: SEARCH_PUBLIC_PHASES,
    categories: [...ASSET_CATEGORIES],
    rounds: [...LOT_ROUNDS],
    sorts: [...SEARCH_SORTS],
    housing: [...HOUSING_CHOICES],
    ratios: [...RATIO_CHOICES],
  };
  return Object.keys(fields).length > 0 ? data(body, { status: 400 }) : body;
}

const FIELD_LABELS: Record<string, string> = {
  q: "lots.search.keyword",
  province: "lots.search.province",
  city: "lots.search.city",
  district: "lots.search.district",
  phase: "lots.filters.phase",
  category: "lots.filters.category",
  court: "lots.filters.court",
  round: "lots.search.round",
  minPrice: "lots.search.minPrice",
  maxPrice: "lots.search.maxPrice",
  maxRatio: "lots.search.maxRatio",
  housing: "lots.search.housingLabel",
  loan: "lots.search.loan",
  sort: "lots.search.sortLabel",
  page: "lots.search.pageLabel",
  region: "lots.search.province",
};

/** The same search at another page: the link people share or follow. */
function pageHref(values: Record<string, string>, page: number): string {
  const params = new URLSearchParams({ ...values, page: String(page) });
  if (page === 1) params.delete("page");
  return `/lots?${params.toString()}`;
}

export default function Lots({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const { result, values, fields, courts, provinces, cities, districts, phases, categories, rounds, sorts, housing, ratios } = loaderData;
  const any = t("lots.filters.any");
  const searched = Object.keys(values).some((k) => k !== "sort" && k !== "page");
  return (
    <div>
      <h1>{t("lots.title")}</h1>
      <p className="lead">{t("lots.lead")}</p>
      <ProblemSummary failure={{ fields, messages: [] }} labels={FIELD_LABELS} />
      <Form method="get" className="filters" aria-label={t("lots.filters.label")} data-testid="search-form">
        <Input name="q" label="lots.search.keyword" defaultValue={values.q} error={fields.q} maxLength={100} hint={t("lots.search.keywordHint")} />
        <div className="filters__fields">
          <Select name="province" label="lots.search.province" defaultValue={values.province} error={fields.province} emptyLabel={any} options={provinces.map((p) => ({ value: p, label: p }))} />
          <Select
            name="city"
            label="lots.search.city"
            defaultValue={values.city}
            error={fields.city}
            emptyLabel={any}
            options={cities.map((c) => ({ value: c, label: c }))}
            hint={cities.length === 0 ? t("lots.search.cityHint") : undefined}
          />
          <Select
            name="district"
            label="lots.search.district"
            defaultValue={values.district}
            error={fields.district}
            emptyLabel={any}
            options={districts.map((d) => ({ value: d, label: d }))}
            hint={districts.length === 0 ? t("lots.search.districtHint") : undefined}
          />
          <Select name="category" label="lots.filters.category" defaultValue={values.category} error={fields.category} emptyLabel={any} options={categories.map((c) => ({ value: c, label: t(`category.${c}`) }))} />
          <Select name="court" label="lots.filters.court" defaultValue={values.court} error={fields.court} emptyLabel={any} options={courts.map((c) => ({ value: c.id, label: c.name }))} />
          <Select name="round" label="lots.search.round" defaultValue={values.round} error={fields.round} emptyLabel={any} options={rounds.map((r) => ({ value: r, label: t(`round.${r}`) }))} />
          <Select name="phase" label="lots.filters.phase" defaultValue={values.phase} error={fields.phase} emptyLabel={any} options={phases.map((p) => ({ value: p, label: t(`phase.${p}`) }))} />
          <Select
            name="housing"
            label="lots.search.housingLabel"
            defaultValue={values.housing}
            error={fields.housing}
            emptyLabel={any}
            options={housing.map((h) => ({ value: h, label: t(`lots.search.housing.${h}`) }))}
          />
          <Input name="minPrice" label="lots.search.minPrice" defaultValue={values.minPrice} error={fields.minPrice} inputMode="decimal" maxLength={24} prefix="¥" width="medium" />
          <Input name="maxPrice" label="lots.search.maxPrice" defaultValue={values.maxPrice} error={fields.maxPrice} inputMode="decimal" maxLength={24} prefix="¥" width="medium" />
          <Select name="maxRatio" label="lots.search.maxRatio" defaultValue={values.maxRatio} error={fields.maxRatio} emptyLabel={any} options={ratios.map((r) => ({ value: r, label: t(`lots.search.ratio.${r}`) }))} />
          <Select name="sort" label="lots.search.sortLabel" defaultValue={values.sort} error={fields.sort} options={sorts.map((s) => ({ value: s, label: t(`lots.search.sort.${s}`) }))} />
        </div>
        <Checkbox name="loan" label="lots.search.loanOnly" defaultChecked={values.loan === "on"} error={fields.loan} />
        <div className="actions-row">
          <button type="submit" className="button">
            {t("lots.search.submit")}
          </button>
          {searched && (
            <Link to="/lots" className="button button--secondary">
              {t("lots.filters.clear")}
            </Link>
          )}
        </div>
      </Form>

      {result && (
        <>
          <h2 className="results-count" data-testid="lot-count" aria-live="polite">
            {t("lots.count")} {result.totalCapped ? `${t("lots.search.moreThan")} ${result.total}` : result.total}
          </h2>
          {result.lots.length === 0 ? (
            <p>{result.total > 0 ? t("lots.search.pastLastPage") : t("lots.empty")}</p>
          ) : (
            <ul className="lot-cards" data-testid="lot-list">
              {result.lots.map((lot) => (
                <li key={lot.id} className="lot-card" data-lot-id={lot.id}>
                  <h3 className="lot-card__title">
                    <Link to={`/lots/${lot.id}`}>{lot.title}</Link>
                  </h3>
                  <p className="lot-card__meta">
                    <PhaseTag phase={lot.phase} /> <span>{t(`round.${lot.round}`)}</span> · <span>{t(`category.${lot.category}`)}</span>
                    {lot.place && <> · <span data-testid="lot-place">{lot.place}</span></>} · <span>{lot.courtName}</span>
                  </p>
                  <dl className="lot-card__facts">
                    <div>
                      <dt>{t(lot.currentPriceFen ? "lot.price.current" : "lot.price.starting")}</dt>
                      <dd>
                        <Money fen={lot.currentPriceFen ?? lot.startingPriceFen} className="money--strong" />
                      </dd>
                    </div>
                    <div>
                      <dt>{t("lots.search.reference")}</dt>
                      <dd>
                        <Money fen={lot.referencePriceFen} /> <span className="hint" data-testid="lot-discount">({shareTextBp(t, i18n.language, lot.startingRatioBp)})</span>
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
                  {(lot.loanAvailable || lot.housingEligibilityRequired) && (
                    <p className="lot-card__tags">
                      {lot.loanAvailable && <span className="tag">{t("lots.search.loanTag")}</span>} {lot.housingEligibilityRequired && <span className="tag">{t("lots.search.housingTag")}</span>}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
          {result.pages > 1 && (
            <nav className="pagination" aria-label={t("lots.search.pagination")} data-testid="pagination">
              {result.page > 1 && (
                <Link to={pageHref(values, result.page - 1)} rel="prev">
                  {t("lots.search.previous")}
                </Link>
              )}
              <span>
                {t("lots.search.pageLabel")} {result.page} / {result.pages}
              </span>
              {result.page < result.pages && (
                <Link to={pageHref(values, result.page + 1)} rel="next">
                  {t("lots.search.next")}
                </Link>
              )}
            </nav>
          )}
        </>
      )}
    </div>
  );
}

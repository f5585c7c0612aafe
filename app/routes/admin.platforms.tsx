import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.platforms";
import { addPlatform, addPlatformUser, listPlatforms, setPlatformCategories } from "../../appraisal/index.ts";
import { ASSET_CATEGORIES } from "../../auction/index.ts";
import { DateTime, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { CategoryCheckboxes, ListingStanding, ListingStatusTag, STAFF_FIELDS, STAFF_LABELS, StaffFields, staffInput } from "../components/appraisal-portal.tsx";
import { DataTable } from "../components/data-table.tsx";
import { failureFor, FoldedForm, Input, ProblemSummary } from "../components/form-fields.tsx";
import { platformStaff } from "../../identity/index.ts";
import { doneNotice } from "../lib/appraisal-forms.server.ts";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, refusal, readForm } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("pool.platforms.title");

const NOTICES = { added: "pool.platforms.notice.added", categories: "pool.platforms.notice.categories", user: "pool.platforms.notice.user" } as const;

/**
 * Admins: the SPC list of online inquiry platforms (A6) — the categories each prices (P7), late reports in
 * the last 12 months against the limit of five, and who was struck off and until when. Striking off is
 * the inquiry workflow's (A6), not a button.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = requirePageUser(request, context, "pool.manage");
  const { db, clock } = services(context);
  const url = new URL(request.url);
  try {
    const platforms = await listPlatforms(db, clock);
    const selectedParam = z.uuid().safeParse(url.searchParams.get("platform"));
    const selected = selectedParam.success ? (platforms.find((p) => p.platformId === selectedParam.data) ?? null) : null;
    const staff = await platformStaff(db, admin, selected ? [selected.platformId] : []);
    return {
      platforms: toPlain(platforms),
      selected: selected ? { ...toPlain(selected), staff: staff.get(selected.platformId) ?? [] } : null,
      categories: [...ASSET_CATEGORIES],
      notice: doneNotice(request, NOTICES),
    };
  } catch (error) {
    throw asPageError(error);
  }
}

const PLATFORM_FIELDS = ["name", "creditCode", "categories"] as const;
/** A bad category is reported on the group of checkboxes, whichever one it was. */
const CATEGORY_ERRORS = Object.fromEntries(ASSET_CATEGORIES.map((_, i) => [`categories.${i}`, "categories"]));

export async function action({ request, context }: Route.ActionArgs) {
  const admin = requirePageUser(request, context, "pool.manage");
  const { db, clock } = services(context);
  const form = await readForm(request);
  const values = formValues(form);
  const categories = form.getAll("categories").filter((c): c is string => typeof c === "string");
  const safe = { ...values, password: "", categories: categories.join(",") };
  const intent = values.intent;
  const platformId = z.uuid().safeParse(values.platformId);
  try {
    if (intent === "add") {
      const { platformId: id } = await addPlatform(db, clock, admin, { name: values.name ?? "", creditCode: values.creditCode ?? "", categories });
      return redirect(`/admin/platforms?platform=${id}&done=added`);
    }
    if ((intent === "categories" || intent === "user") && !platformId.success) return formFailure(intent, safe, {}, ["errors.NOT_FOUND"], 404);
    if (intent === "categories" && platformId.success) {
      await setPlatformCategories(db, clock, admin, platformId.data, { categories });
      return redirect(`/admin/platforms?platform=${platformId.data}&done=categories`);
    }
    if (intent === "user" && platformId.success) {
      await addPlatformUser(db, clock, admin, platformId.data, staffInput(values));
      return redirect(`/admin/platforms?platform=${platformId.data}&done=user`);
    }
  } catch (error) {
    if (intent === "add") return refusal(error, "add", safe, { formFields: PLATFORM_FIELDS, fieldMap: CATEGORY_ERRORS });
    if (intent === "categories") return refusal(error, "categories", safe, { formFields: ["categories"], fieldMap: CATEGORY_ERRORS });
    if (intent === "user") return refusal(error, "user", safe, { formFields: STAFF_FIELDS });
    throw asPageError(error);
  }
  return formFailure("add", safe, {}, ["validation.invalid"], 400);
}

export default function AdminPlatforms({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { platforms, selected, categories, notice } = loaderData;
  const addFailure = failureFor(actionData, "add");
  const categoriesFailure = failureFor(actionData, "categories");
  const userFailure = failureFor(actionData, "user");
  const labels = {
    name: "pool.platforms.name",
    creditCode: "pool.creditCode",
    categories: "pool.platforms.categories",
    ...STAFF_LABELS,
  };
  const checkedFrom = (failure: { values: Record<string, string> } | undefined, fallback: readonly string[]) => (failure ? (failure.values.categories ?? "").split(",").filter(Boolean) : fallback);
  return (
    <div>
      <h1>{t("pool.platforms.title")}</h1>
      <p className="lead">{t("pool.platforms.lead")}</p>
      <p>
        <Link to="/admin/agencies">{t("pool.agencies.title")}</Link>
      </p>
      {notice && <SuccessBanner>{t(notice)}</SuccessBanner>}
      <ProblemSummary failure={addFailure ?? categoriesFailure ?? userFailure} labels={labels} />

      <DataTable
        rows={platforms}
        rowKey={(p) => p.platformId}
        rowData={(p) => ({ "data-platform-id": p.platformId })}
        caption="pool.platforms.title"
        testId="platforms"
        empty={<p>{t("pool.platforms.none")}</p>}
        columns={[
          {
            header: "pool.platforms.name",
            cell: (p) => (
              <>
                <Link to={`/admin/platforms?platform=${p.platformId}`}>{p.name}</Link>
                <br />
                <span className="hint">{p.creditCode}</span>
              </>
            ),
          },
          { header: "pool.platforms.categories", cell: (p) => p.categories.map((c) => t(`category.${c}`)).join("、") },
          {
            header: "pool.platforms.late",
            numeric: true,
            cellData: (p) => ({ "data-late": p.lateReportsLast12Months }),
            cell: (p) => (
              <>
                {p.lateReportsLast12Months} / {p.lateReportsLimit}
              </>
            ),
          },
          { header: "pool.statusLabel", cell: (p) => <ListingStanding status={p.status} barredUntil={p.barredUntil} /> },
        ]}
      />

      {selected && (
        <section aria-labelledby="platform" className="form-section" data-testid="selected-platform">
          <h2 id="platform">{selected.name}</h2>
          <SummaryList
            rows={[
              ["pool.creditCode", selected.creditCode],
              ["pool.statusLabel", <ListingStatusTag status={selected.status} key="s" />],
              ["pool.platforms.late", `${selected.lateReportsLast12Months} / ${selected.lateReportsLimit} · ${t("pool.platforms.lateLimit")}`],
              ["pool.barredUntil", selected.barredUntil ? <DateTime iso={selected.barredUntil} dateOnly key="b" /> : null],
            ]}
          />
          <h3>{t("pool.platforms.editCategories")}</h3>
          <Form method="post" noValidate className="narrow">
            <input type="hidden" name="intent" value="categories" />
            <input type="hidden" name="platformId" value={selected.platformId} />
            <CategoryCheckboxes categories={categories} checked={checkedFrom(categoriesFailure, selected.categories)} error={categoriesFailure?.fields.categories} />
            <button type="submit" className="button button--secondary" disabled={busy} data-testid="save-categories">
              {t("pool.platforms.saveCategories")}
            </button>
          </Form>
          <h3>{t("pool.member.title")}</h3>
          {selected.staff.length === 0 ? (
            <p>{t("pool.member.none")}</p>
          ) : (
            <ul className="plain-list" data-testid="platform-staff">
              {selected.staff.map((m) => (
                <li key={m.id}>
                  {m.displayName} ({m.username})
                </li>
              ))}
            </ul>
          )}
          <FoldedForm summary="pool.member.add" open={Boolean(userFailure)} intent="user">
            <input type="hidden" name="platformId" value={selected.platformId} />
            <StaffFields failure={userFailure} />
            <button type="submit" className="button button--secondary" disabled={busy} data-testid="add-platform-user">
              {t("pool.member.submit")}
            </button>
          </FoldedForm>
        </section>
      )}

      {!selected && (
        <section aria-labelledby="add" className="form-section">
          <h2 id="add">{t("pool.platforms.add")}</h2>
          <FoldedForm summary="pool.platforms.addOpen" open={Boolean(addFailure)} intent="add">
            <Input name="name" label="pool.platforms.name" defaultValue={addFailure?.values.name} error={addFailure?.fields.name} maxLength={200} />
            <Input name="creditCode" label="pool.creditCode" defaultValue={addFailure?.values.creditCode} error={addFailure?.fields.creditCode} maxLength={18} width="medium" />
            <CategoryCheckboxes categories={categories} checked={checkedFrom(addFailure, [])} error={addFailure?.fields.categories} />
            <button type="submit" className="button" disabled={busy} data-testid="add-platform">
              {t("pool.platforms.addSubmit")}
            </button>
          </FoldedForm>
        </section>
      )}
    </div>
  );
}

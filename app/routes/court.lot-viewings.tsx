import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/court.lot-viewings";
import { addViewingSlot, courtViewings, viewingSlotRuleRefusal, viewingSlotSchema } from "../../auction/index.ts";
import { DateTime, SuccessBanner } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { failureFor, Input, ProblemSummary, TextArea } from "../components/form-fields.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formValues, pageId, parseForm, readForm, refusal, withRuleErrors } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: `${loaderData?.viewings.lotTitle ?? "看样安排 Viewings"} · 人民法院司法拍卖与评估平台` }];

const FIELDS = ["startsAt", "endsAt", "place", "capacity"] as const;
const LABELS = { startsAt: "viewings.startsAt", endsAt: "viewings.endsAt", place: "viewings.place", capacity: "viewings.capacity" };

/** Court staff: a lot's viewings (预约看样), who booked each — the court's to see only — and a form to add one. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const lotId = pageId(params.lotId);
  const { db } = services(context);
  try {
    const viewings = await courtViewings(db, user, lotId);
    return { lotId, viewings: toPlain(viewings), added: new URL(request.url).searchParams.get("done") === "added" };
  } catch (error) {
    throw asPageError(error);
  }
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const lotId = pageId(params.lotId);
  const { db, clock } = services(context);
  const values = formValues(await readForm(request), 300);
  try {
    const parsed = parseForm(viewingSlotSchema, values, { dates: ["startsAt", "endsAt"] });
    if (!parsed.ok) {
      // Every error in one round: the rules over the times typed right, beside the fields typed wrong.
      const rules = await viewingSlotRuleRefusal(db, clock, user, lotId, parsed.valid);
      return data(withRuleErrors("viewing", values, parsed.fields, rules, { formFields: FIELDS }), { status: 400 });
    }
    await addViewingSlot(db, clock, user, lotId, parsed.data);
    return redirect(`/court/lots/${lotId}/viewings?done=added`);
  } catch (error) {
    return refusal(error, "viewing", values, { formFields: FIELDS });
  }
}

export default function CourtLotViewings({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { lotId, viewings, added } = loaderData;
  const failure = failureFor(actionData, "viewing");
  return (
    <div>
      <p className="breadcrumbs">
        <Link to={`/court/lots/${lotId}`}>{viewings.lotTitle}</Link>
      </p>
      <span className="caption">{viewings.lotTitle}</span>
      <h1>{t("viewings.manage")}</h1>
      {added && <SuccessBanner>{t("viewings.added")}</SuccessBanner>}
      <ProblemSummary failure={failure} labels={LABELS} />
      <p className="hint">{t("viewings.courtLead")}</p>
      <DataTable
        rows={viewings.slots}
        rowKey={(s) => s.id}
        rowData={(s) => ({ "data-slot-id": s.id })}
        caption="viewings.manage"
        testId="court-viewings"
        empty={<p>{t("viewings.none")}</p>}
        columns={[
          {
            header: "viewings.time",
            className: "nowrap",
            cell: (s) => (
              <>
                <DateTime iso={s.startsAt} /> – <DateTime iso={s.endsAt} />
              </>
            ),
          },
          { header: "viewings.place", cell: (s) => s.place },
          { header: "viewings.free", numeric: true, cell: (s) => `${s.free} / ${s.capacity}` },
          {
            header: "viewings.bookings",
            cell: (s) =>
              s.bookings.length === 0 ? (
                <span className="hint">{t("viewings.noBookings")}</span>
              ) : (
                <ul className="plain-list" data-testid="viewing-bookings">
                  {s.bookings.map((b) => (
                    <li key={`${b.name}-${b.bookedAt}`}>
                      {b.name} <span className="hint">{t("viewings.bookedAt")} <DateTime iso={b.bookedAt} /></span>
                    </li>
                  ))}
                </ul>
              ),
          },
        ]}
      />
      {viewings.open && (
        <section aria-labelledby="add-viewing" className="form-section">
          <h2 id="add-viewing">{t("viewings.add")}</h2>
          <Form method="post" noValidate className="narrow" data-testid="viewing-form">
            <Input name="startsAt" label="viewings.startsAt" type="datetime-local" defaultValue={failure?.values.startsAt} error={failure?.fields.startsAt} width="medium" hint={t("form.beijingTime")} />
            <Input name="endsAt" label="viewings.endsAt" type="datetime-local" defaultValue={failure?.values.endsAt} error={failure?.fields.endsAt} width="medium" hint={t("form.beijingTime")} />
            <TextArea name="place" label="viewings.place" defaultValue={failure?.values.place} error={failure?.fields.place} rows={2} maxLength={200} hint={t("viewings.placeHint")} />
            <Input name="capacity" label="viewings.capacity" defaultValue={failure?.values.capacity} error={failure?.fields.capacity} inputMode="numeric" maxLength={3} width="short" hint={t("viewings.capacityHint")} />
            <button type="submit" className="button" disabled={navigation.state === "submitting"} data-testid="viewing-submit">
              {t("viewings.submit")}
            </button>
          </Form>
        </section>
      )}
    </div>
  );
}

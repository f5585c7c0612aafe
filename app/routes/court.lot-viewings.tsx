import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/court.lot-viewings";
import { addViewingSlot, cancelViewingSlot, courtViewings, viewingBookingSchema, viewingSlotRuleRefusal, viewingSlotSchema } from "../../auction/index.ts";
import { DateTime, SuccessBanner } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { ActionButton, failureFor, Input, ProblemSummary, TextArea } from "../components/form-fields.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, parseForm, readForm, refusal, withRuleErrors } from "../lib/forms.server.ts";
import { formatDateTime, toPlain } from "../lib/format.ts";

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: `${loaderData?.viewings.lotTitle ?? "看样安排 Viewings"} · 人民法院司法拍卖与评估平台` }];

const FIELDS = ["startsAt", "endsAt", "place", "capacity"] as const;
const LABELS = { startsAt: "viewings.startsAt", endsAt: "viewings.endsAt", place: "viewings.place", capacity: "viewings.capacity" };

const NOTICES = { added: "viewings.added", cancelled: "viewings.calledOff" } as const;

/** Court staff: a lot's viewings (预约看样), who booked each — the court's to see only — a form to add one, and calling one off. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const lotId = pageId(params.lotId);
  const { db, clock } = services(context);
  try {
    const viewings = await courtViewings(db, user, lotId);
    const done = new URL(request.url).searchParams.get("done");
    return { lotId, viewings: toPlain(viewings), now: clock.now().toISOString(), notice: done && done in NOTICES ? NOTICES[done as keyof typeof NOTICES] : null };
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
    if (values.intent === "cancel") {
      const parsed = parseForm(viewingBookingSchema, values);
      if (!parsed.ok) return formFailure("viewing", values, {}, ["validation.invalid"], 400);
      await cancelViewingSlot(db, clock, user, lotId, parsed.data.slotId);
      return redirect(`/court/lots/${lotId}/viewings?done=cancelled`);
    }
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
  const { t, i18n } = useTranslation();
  const navigation = useNavigation();
  const { lotId, viewings, now, notice } = loaderData;
  const failure = failureFor(actionData, "viewing");
  return (
    <div>
      <p className="breadcrumbs">
        <Link to={`/court/lots/${lotId}`}>{viewings.lotTitle}</Link>
      </p>
      <span className="caption">{viewings.lotTitle}</span>
      <h1>{t("viewings.manage")}</h1>
      {notice && <SuccessBanner>{t(notice)}</SuccessBanner>}
      <ProblemSummary failure={failure} labels={LABELS} />
      <p className="hint">{t("viewings.courtLead")}</p>
      <DataTable
        rows={viewings.slots}
        rowKey={(s) => s.id}
        rowData={(s) => ({ "data-slot-id": s.id, "data-cancelled": s.cancelled ? "true" : undefined })}
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
                {s.cancelled ? (
                  <>
                    {" "}
                    <strong className="tag tag--withdrawn">{t("viewings.cancelledTag")}</strong>
                  </>
                ) : s.endsAt <= now /* ISO instants in UTC compare as text */ ? (
                  <>
                    {" "}
                    <span className="tag">{t("viewings.past")}</span>
                  </>
                ) : null}
              </>
            ),
          },
          { header: "viewings.place", cell: (s) => s.place },
          { header: "viewings.free", numeric: true, cell: (s) => (s.cancelled ? "—" : `${s.free} / ${s.capacity}`) },
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
          viewings.open && {
            header: "viewings.callOff",
            className: "actions",
            cell: (s) =>
              !s.cancelled && s.startsAt > now ? (
                <ActionButton fields={{ intent: "cancel", slotId: s.id }} label="viewings.callOff" className="button button--warning" ariaLabel={t("viewings.callOffNamed", { name: formatDateTime(s.startsAt, i18n.language) })} />
              ) : null,
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

import { useTranslation } from "react-i18next";
import { data, Link, redirect } from "react-router";
import type { Route } from "./+types/lot.viewings";
import { bookViewing, cancelViewing, publicViewings, viewingBookingSchema } from "../../auction/index.ts";
import { SuccessBanner } from "../components/auction.tsx";
import { failureFor, ProblemSummary } from "../components/form-fields.tsx";
import { LotViewings } from "../components/lot-viewings.tsx";
import { currentUser, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, parseForm, readForm, refusal } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: `${loaderData?.viewings.lotTitle ?? "预约看样 Viewings"} · 人民法院司法拍卖与评估平台` }];

const NOTICES = { booked: "viewings.booked", cancelled: "viewings.cancelled" } as const;

/** 预约看样: a lot's viewings with their free places (never who booked, P4), where a signed-in person books one. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const lotId = pageId(params.lotId);
  const { db, clock } = services(context);
  const user = currentUser(context);
  const viewings = await publicViewings(db, clock, user, lotId);
  if (!viewings) throw data({ code: "NOT_FOUND" }, { status: 404 });
  const done = new URL(request.url).searchParams.get("done");
  return { lotId, viewings: toPlain(viewings), signedIn: user !== null, notice: done && done in NOTICES ? NOTICES[done as keyof typeof NOTICES] : null };
}

/** Books a place (one per person and lot, within the places left) or cancels the person's own booking. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const lotId = pageId(params.lotId);
  const user = requirePageUser(request, context, "lots.viewing");
  const { db, clock } = services(context);
  const values = formValues(await readForm(request), 100);
  try {
    if (values.intent === "book") {
      const parsed = parseForm(viewingBookingSchema, values);
      if (!parsed.ok) return formFailure("viewing", values, {}, ["validation.invalid"], 400);
      await bookViewing(db, clock, user, lotId, parsed.data.slotId);
      return redirect(`/lots/${lotId}/viewings?done=booked`);
    }
    if (values.intent === "cancel") {
      await cancelViewing(db, clock, user, lotId);
      return redirect(`/lots/${lotId}/viewings?done=cancelled`);
    }
  } catch (error) {
    return refusal(error, "viewing", values, { formFields: [] });
  }
  return formFailure("viewing", values, {}, ["validation.invalid"], 400);
}

export default function LotViewingsPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { lotId, viewings, signedIn, notice } = loaderData;
  return (
    <div>
      <p className="breadcrumbs">
        <Link to={`/lots/${lotId}`}>{viewings.lotTitle}</Link>
      </p>
      <span className="caption">{viewings.lotTitle}</span>
      <h1>{t("viewings.title")}</h1>
      {notice && <SuccessBanner>{t(notice)}</SuccessBanner>}
      <ProblemSummary failure={failureFor(actionData, "viewing")} />
      <LotViewings lotId={lotId} viewings={viewings} signedIn={signedIn} />
      <p>
        <Link to={`/lots/${lotId}#viewings`}>{t("viewings.backToLot")}</Link>
      </p>
    </div>
  );
}

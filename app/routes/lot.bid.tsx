import { useTranslation } from "react-i18next";
import { createContext, data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/lot.bid";
import { bidSchema, getPublicLot, placeBid } from "../../auction/index.ts";
import { Money, PhaseTag } from "../components/auction.tsx";
import { BidForm } from "../components/bid-form.tsx";
import { AmountToConfirm } from "../components/confirm-amount.tsx";
import { ProblemSummary } from "../components/form-fields.tsx";
import { currentUser, requirePageUser, services } from "../lib/http.server.ts";
import { formValues, pageId, parseForm, toFailure, type FormFailure, readForm } from "../lib/forms.server.ts";
import { bidderState, lotView } from "../lib/lot-view.server.ts";
import { fenToYuanInput } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("bid.title");

/** Set by the action: the loaders that run after it (to render a refusal) must not redirect. */
const bidPosted = createContext<boolean>(false);

/** The bid form lives on the lot page; this address only takes its posts (a GET goes to the lot). */
export function loader({ params, context }: Route.LoaderArgs) {
  if (context.get(bidPosted)) return null;
  throw redirect(`/lots/${pageId(params.lotId)}`);
}

/**
 * In the browser, showing a refusal is a client navigation to this address: it needs no server data
 * (the action sent the lot), so the server loader's redirect is skipped.
 */
export function clientLoader() {
  return null;
}

/** Refusals about the amount are shown on the amount field; the others for the whole form. */
const AMOUNT_CODES = { BID_BELOW_START: "amountFen", BID_TOO_LOW: "amountFen", BID_OFF_INCREMENT: "amountFen", PRIORITY_MATCH_LOSES: "amountFen" };

/**
 * D1–D6: one bid from the HTML form, amount typed in yuan, in two steps. The lot page's form posts with `review`:
 * the answer is the confirmation (the amount in figures and in 大写) whose form posts the same amount and
 * clientBidId without it, and that post places the bid through the bidding engine. Accepted → back to the lot page.
 */
export async function action({ request, params, context }: Route.ActionArgs) {
  context.set(bidPosted, true);
  const lotId = pageId(params.lotId);
  if (!currentUser(context)) throw redirect(`/sign-in?next=${encodeURIComponent(`/lots/${lotId}`)}`);
  const user = requirePageUser(request, context, "lots.bid");
  const { db, clock, publisher } = services(context);
  const values = formValues(await readForm(request), 200);
  const parsed = parseForm(bidSchema, values, { yuan: ["amountFen"] });
  let refused: { failure: FormFailure; status: number } | null = null;
  if (!parsed.ok) {
    refused = { failure: { form: "bid", fields: parsed.fields, messages: [], values }, status: 400 };
  } else if (values.review !== "1") {
    try {
      // A resent form carries the same clientBidId: placeBid answers with the first bid, never a second.
      // Live watchers see form bids too: placeBid publishes after commit.
      await placeBid(db, clock, publisher, user, lotId, parsed.data);
      return redirect(`/lots/${lotId}?bid=accepted`);
    } catch (error) {
      refused = toFailure(error, "bid", values, { formFields: ["amountFen", "clientBidId"], codeField: AMOUNT_CODES });
    }
  }
  // The confirmation, or the refusal, with the lot as it is now (and a fresh form after a refusal).
  const lot = await getPublicLot(db, clock, lotId);
  if (!lot) throw data({ code: "NOT_FOUND" }, { status: 404 });
  const now = { lot: lotView(lot), bidder: await bidderState(db, user, lot) };
  if (!refused) return { confirm: { amountFen: parsed.ok ? parsed.data.amountFen.toString() : "", clientBidId: values.clientBidId ?? "" }, ...now };
  return data({ confirm: null, ...refused.failure, ...now }, { status: refused.status });
}

export default function Bid({ actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  if (!actionData) return null;
  const { lot, bidder } = actionData;
  const confirm = actionData.confirm;
  const failure = confirm ? null : (actionData as Extract<typeof actionData, { confirm: null }>);
  return (
    <div className="narrow">
      <p className="breadcrumbs">
        <Link to={`/lots/${lot.id}`}>{lot.title}</Link>
      </p>
      <h1>{t(confirm ? "bid.confirm.title" : "bid.title")}</h1>
      {failure && <ProblemSummary failure={failure} labels={{ amountFen: "bid.amount", clientBidId: "bid.form" }} />}
      <p>
        <PhaseTag phase={lot.phase} />
      </p>
      <p>
        {t(lot.currentPriceFen ? "lot.price.current" : "lot.price.starting")} <Money fen={lot.currentPriceFen ?? lot.startingPriceFen} className="money--strong" />
      </p>
      {confirm && <BidConfirmation lotId={lot.id} amountFen={confirm.amountFen} clientBidId={confirm.clientBidId} />}
      {failure && lot.phase === "bidding" && bidder?.registration?.status === "active" ? (
        <BidForm
          lotId={lot.id}
          clientBidId={bidder.clientBidId}
          amountYuan={failure.values.amountFen?.trim() ? failure.values.amountFen : bidder.nextBidYuan}
          minimumFen={bidder.nextBidFen}
          incrementFen={lot.incrementFen}
          error={failure.fields.amountFen}
        />
      ) : null}
      <p>
        <Link to={`/lots/${lot.id}`}>{t(confirm ? "bid.confirm.change" : "bid.back")}</Link>
      </p>
    </div>
  );
}

/** The second step: the amount in figures and in 大写; its form places the bid (same clientBidId, so a resend is one bid). */
function BidConfirmation({ lotId, amountFen, clientBidId }: { lotId: string; amountFen: string; clientBidId: string }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  return (
    <Form method="post" action={`/lots/${lotId}/bid`} className="confirm-step" data-testid="bid-confirmation">
      <p>{t("bid.confirm.lead")}</p>
      <AmountToConfirm label="bid.confirm.amount" fen={amountFen} testId="bid-amount" />
      <input type="hidden" name="clientBidId" value={clientBidId} />
      <input type="hidden" name="amountFen" value={fenToYuanInput(amountFen)} />
      <button type="submit" className="button button--bid" disabled={navigation.state === "submitting"}>
        {t("bid.submit")}
      </button>
    </Form>
  );
}

import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/lot.deposit";
import { getPublicLot, ownRegistration } from "../../auction/index.ts";
import { latestPayment, startDepositPayment } from "../../escrow/index.ts";
import { AmountToConfirm } from "../components/confirm-amount.tsx";
import { failureFor, ProblemSummary } from "../components/form-fields.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { formValues, pageId, readForm, refusal } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("deposit.title");

const REASONS = ["card_declined", "processing_error", "DEPOSIT_HOLDER_MISMATCH", "LOT_CLOSED", "LOT_SUSPENDED", "ONE_REGISTRATION_PER_PERSON"];

/**
 * Bidders: the confirmation step before a deposit is paid (C2): the amount due in figures and in 大写, where the
 * last payment stands, and the way to the gateway's checkout. The lot page links here; it works without JavaScript.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "lots.bid");
  const lotId = pageId(params.lotId);
  const { db, clock, paymentGateway } = services(context);
  const lot = await getPublicLot(db, clock, lotId);
  if (!lot) throw data({ code: "NOT_FOUND" }, { status: 404 });
  const registration = await ownRegistration(db, user, lotId);
  if (registration?.status === "active") throw redirect(`/lots/${lotId}?deposit=paid`);
  // Nothing to pay: the lot page shows where the bidder stands.
  if (!registration || registration.status !== "awaiting_deposit") throw redirect(`/lots/${lotId}`);
  const last = await latestPayment(db, user, lotId, "deposit");
  const reason = last?.failureCode ? (REASONS.includes(last.failureCode) ? last.failureCode : "other") : null;
  return {
    lot: { id: lot.id, title: lot.title },
    depositDueFen: toPlain(registration.depositDueFen),
    simulated: paymentGateway.simulated,
    last: last && last.status !== "created" ? { status: last.status, reason } : null,
  };
}

/**
 * "Confirm and pay": starts the payment (or finds the open one: a double click makes one payment) and goes to the
 * checkout. The form carries the amount the bidder confirmed; a post without it, or with another amount, pays
 * nothing and shows the confirmation again.
 */
export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "lots.bid");
  const lotId = pageId(params.lotId);
  const confirmed = formValues(await readForm(request)).amountFen;
  const { db, clock, paymentGateway } = services(context);
  const registration = await ownRegistration(db, user, lotId);
  if (registration?.status === "awaiting_deposit" && confirmed !== registration.depositDueFen.toString()) return redirect(`/lots/${lotId}/deposit`);
  try {
    const started = await startDepositPayment(db, clock, paymentGateway, user, lotId, `/lots/${lotId}/deposit`);
    if (started.status === "succeeded" || !started.redirectUrl) return redirect(`/lots/${lotId}/deposit`);
    return redirect(started.redirectUrl);
  } catch (error) {
    return refusal(error, "deposit", {}, { formFields: [] });
  }
}

export default function Deposit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { lot, depositDueFen, simulated, last } = loaderData;
  const open = last?.status === "requires_action" || last?.status === "processing";
  return (
    <div className="narrow">
      <p className="breadcrumbs">
        <Link to={`/lots/${lot.id}`}>{lot.title}</Link>
      </p>
      <h1>{t("deposit.title")}</h1>
      <ProblemSummary failure={failureFor(actionData, "deposit")} />
      {last && last.status !== "succeeded" && (
        <p className={open ? "notice" : "error-message"} role={open ? "status" : "alert"} data-testid="payment-status">
          {t(`deposit.status.${last.status}`)} {last.reason && t(`deposit.reason.${last.reason}`)} {last.status === "failed" && t("deposit.tryAgain")}
        </p>
      )}
      <h2>{t("deposit.confirmHeading")}</h2>
      <AmountToConfirm label="deposit.due" fen={depositDueFen} testId="deposit-amount" />
      <p>{t("deposit.lead")}</p>
      <p>{t("deposit.held")}</p>
      {simulated && <p className="demo-notice">{t("deposit.simulatedNotice")}</p>}
      <Form method="post">
        <input type="hidden" name="amountFen" value={depositDueFen} />
        <button type="submit" className="button" disabled={navigation.state === "submitting"} data-testid="confirm-deposit">
          {t(open ? "deposit.continue" : "deposit.confirm")}
        </button>
        <Link to={`/lots/${lot.id}`} className="button button--secondary">
          {t("confirm.cancel")}
        </Link>
      </Form>
    </div>
  );
}

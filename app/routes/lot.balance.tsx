import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/lot.balance";
import { latestPayment, ownBalanceDue, startBalancePayment } from "../../escrow/index.ts";
import { Money, SummaryList } from "../components/auction.tsx";
import { failureFor, ProblemSummary } from "../components/form-fields.tsx";
import { EndOfDay } from "../components/lot-money.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { pageId, readForm, refusal } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("balance.title");

/** The buyer: the balance due, its deadline (24:00 Beijing time of the last day), and the way to the checkout (F3, P3). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "lots.bid");
  const lotId = pageId(params.lotId);
  const { db, paymentGateway } = services(context);
  const due = await ownBalanceDue(db, user, lotId);
  // Nothing owed here: the bidder's money page shows where each lot stands.
  if (!due || due.status !== "due") throw redirect("/my/payments");
  const last = await latestPayment(db, user, lotId, "balance");
  return { lotId, due: toPlain(due), simulated: paymentGateway.simulated, last: last && last.status !== "created" && last.status !== "succeeded" ? { status: last.status } : null };
}

/** "Pay": starts the balance payment (or finds the open one) and goes to the gateway's checkout. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "lots.bid");
  const lotId = pageId(params.lotId);
  await readForm(request);
  const { db, clock, paymentGateway } = services(context);
  try {
    const started = await startBalancePayment(db, clock, paymentGateway, user, lotId, `/lots/${lotId}/balance`);
    if (started.status === "succeeded" || !started.redirectUrl) return redirect("/my/payments");
    return redirect(started.redirectUrl);
  } catch (error) {
    return refusal(error, "balance", {}, { formFields: [] });
  }
}

export default function Balance({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { lotId, due, simulated, last } = loaderData;
  const open = last?.status === "requires_action" || last?.status === "processing";
  return (
    <div className="narrow">
      <p className="breadcrumbs">
        <Link to={`/lots/${lotId}`}>{due.lotTitle}</Link>
      </p>
      <h1>{t("balance.title")}</h1>
      <ProblemSummary failure={failureFor(actionData, "balance")} />
      {last && (
        <p className={open ? "notice" : "error-message"} role={open ? "status" : "alert"} data-testid="payment-status">
          {t(`balance.status.${last.status}`)}
        </p>
      )}
      <SummaryList
        testId="balance-due"
        rows={[
          ["balance.price", <Money fen={due.priceFen} key="p" />],
          ["balance.depositApplied", <Money fen={due.depositAppliedFen} key="d" />],
          ["balance.amount", <Money fen={due.amountFen} key="a" className="money--strong" />],
          ["balance.dueBy", <EndOfDay iso={due.dueAt} key="t" />],
        ]}
      />
      <p>{t("balance.lead")}</p>
      {simulated && <p className="demo-notice">{t("deposit.simulatedNotice")}</p>}
      <Form method="post">
        <button type="submit" className="button" disabled={navigation.state === "submitting"} data-testid="pay-balance">
          {t(open ? "deposit.continue" : "balance.pay")}
        </button>
      </Form>
    </div>
  );
}

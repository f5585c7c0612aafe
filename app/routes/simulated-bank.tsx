import { useTranslation } from "react-i18next";
import { data, Form, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/simulated-bank";
import { toChineseCapital } from "../../core/money.ts";
import { CONFIRMATION_CODE, FAILS_LATER_MS, isSimulatedGateway, TEST_CARDS, type SimulatedGateway } from "../../escrow/index.ts";
import { Money } from "../components/auction.tsx";
import { failureFor, Input, ProblemSummary } from "../components/form-fields.tsx";
import { formFailure, formValues, readForm, refusal } from "../lib/forms.server.ts";
import { parseInput } from "../../core/validation.ts";
import { services } from "../lib/http.server.ts";
import { pageTitle } from "../lib/page-title.ts";
import { TableScroll } from "../components/data-table.tsx";


/** The bank's page stands alone: the platform's header and menu are not shown on it (app/root.tsx). */
export const handle = { bank: true, ...pageTitle("simulatedBank.title") };

/** The simulated bank's charge ids (escrow/simulated-gateway.ts); anything else is no charge. */
const CHARGE_ID = /^ch_[0-9a-f]{24}$/;

/** The simulated gateway's checkout page and the charge it is about; 404 when either does not exist. */
async function checkout(params: { chargeId?: string }, context: Route.LoaderArgs["context"]): Promise<{ gateway: SimulatedGateway; chargeId: string }> {
  const gateway = services(context).paymentGateway;
  const chargeId = params.chargeId ?? "";
  if (!isSimulatedGateway(gateway) || !CHARGE_ID.test(chargeId) || !(await gateway.charge(chargeId))) throw data({ code: "NOT_FOUND" }, { status: 404 });
  return { gateway, chargeId };
}

/** Only a path on the platform is followed back (the platform set it; the page never sends anyone elsewhere). */
const platformPath = (url: string) => (url.startsWith("/") && !url.startsWith("//") ? url : "/");

/**
 * The simulated bank's checkout (ADR 019): anyone with the link may open it, as at a bank; it shows only the amount,
 * what it is for and where the payment stands. The payer enters a test card and the name on it (C2, P11: the name
 * must be the bidder's own), then, for a card that asks for it, the confirmation code.
 */
export async function loader({ params, context }: Route.LoaderArgs) {
  const { gateway, chargeId } = await checkout(params, context);
  const charge = (await gateway.charge(chargeId))!;
  return {
    chargeId,
    amountFen: charge.amountFen.toString(),
    amountInWords: toChineseCapital(charge.amountFen),
    description: charge.description,
    status: charge.status,
    failureCode: charge.failureCode,
    cardLast4: charge.cardLast4,
    returnUrl: platformPath(charge.returnUrl),
    testCards: Object.entries(TEST_CARDS).map(([number, behaviour]) => ({ number, behaviour })),
    confirmationCode: CONFIRMATION_CODE,
    failsLaterSeconds: FAILS_LATER_MS / 1000,
  };
}

const cardForm = z.object({
  cardNumber: z.string().trim().regex(/^[0-9][0-9 -]{11,22}[0-9]$/, "validation.cardNumber"),
  holderName: z.string().trim().min(1, "validation.required").max(100, "validation.tooLong"),
});
const codeForm = z.object({ code: z.string().trim().min(1, "validation.required").max(12, "validation.tooLong") });

export async function action({ request, params, context }: Route.ActionArgs) {
  const { gateway, chargeId } = await checkout(params, context);
  const values = formValues(await readForm(request), 200);
  const back = `/simulated-bank/${chargeId}`;
  if (values.intent === "confirm") {
    const parsed = parseInput(codeForm, values);
    if (!parsed.ok) return formFailure("confirm", values, parsed.fields, [], 400);
    try {
      await gateway.confirm(chargeId, parsed.data.code);
    } catch (error) {
      return refusal(error, "confirm", values, { formFields: ["code"], codeField: { PAYMENT_CONFIRMATION_FAILED: "code" } });
    }
    return redirect(back);
  }
  const parsed = parseInput(cardForm, values);
  if (!parsed.ok) return formFailure("card", values, parsed.fields, [], 400);
  await gateway.submitCard(chargeId, { number: parsed.data.cardNumber, holderName: parsed.data.holderName });
  return redirect(back);
}

export default function SimulatedBank({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  return (
    <div className="bank" data-testid="simulated-bank">
      <div className="bank__brand">
        <span className="bank__name">{t("simulatedBank.name")}</span>
        <span className="bank__tag">{t("simulatedBank.tag")}</span>
      </div>
      <p className="demo-notice" data-testid="simulated-notice">
        {t("simulatedBank.notice")}
      </p>
      <h1>{t("simulatedBank.title")}</h1>
      <dl className="bank__order" data-testid="order">
        <dt>{t("simulatedBank.payee")}</dt>
        <dd>{t("simulatedBank.payeeName")}</dd>
        {d.description && (
          <>
            <dt>{t("simulatedBank.purpose")}</dt>
            <dd>{d.description}</dd>
          </>
        )}
        <dt>{t("simulatedBank.amount")}</dt>
        <dd>
          <Money fen={d.amountFen} className="money--strong" />
        </dd>
        <dt>{t("simulatedBank.amountInWords")}</dt>
        <dd data-testid="amount-in-words">{d.amountInWords}</dd>
      </dl>
      <Step data={d} actionData={actionData} />
      <p className="demo-notice">{t("simulatedBank.noticeShort")}</p>
    </div>
  );
}

type LoaderData = Route.ComponentProps["loaderData"];

/** What the payer does next, by where the charge stands. */
function Step({ data: d, actionData }: { data: LoaderData; actionData: Route.ComponentProps["actionData"] }) {
  const { t } = useTranslation();
  const back = (label: string) => (
    <p>
      <a href={d.returnUrl} className="button" data-testid="return-to-platform">
        {t(label)}
      </a>
    </p>
  );
  switch (d.status) {
    case "requires_payment_method":
      return <CardStep data={d} failure={failureFor(actionData, "card")} />;
    case "requires_action":
      return <CodeStep data={d} failure={failureFor(actionData, "confirm")} />;
    case "processing":
      return (
        <>
          <p className="notice" role="status" data-testid="payment-result">
            {t("simulatedBank.result.processing", { last4: d.cardLast4 ?? "" })}
          </p>
          {back("simulatedBank.return")}
        </>
      );
    case "failed":
      return (
        <>
          <p className="error-message" role="alert" data-testid="payment-result">
            {t(d.failureCode === "card_declined" ? "simulatedBank.result.declined" : "simulatedBank.result.failed", { last4: d.cardLast4 ?? "" })}
          </p>
          {back("simulatedBank.returnToRetry")}
        </>
      );
    default:
      return (
        <>
          <div className="notification notification--success" role="status" data-testid="payment-result">
            {t("simulatedBank.result.succeeded", { last4: d.cardLast4 ?? "" })}
          </div>
          {back("simulatedBank.return")}
        </>
      );
  }
}

function CardStep({ data: d, failure }: { data: LoaderData; failure: ReturnType<typeof failureFor> }) {
  const { t } = useTranslation();
  return (
    <>
      <ProblemSummary failure={failure} labels={{ cardNumber: "simulatedBank.cardNumber", holderName: "simulatedBank.holderName" }} />
      <Form method="post" className="narrow" data-testid="card-form">
        <input type="hidden" name="intent" value="pay" />
        <Input name="cardNumber" label="simulatedBank.cardNumber" inputMode="numeric" autoComplete="cc-number" maxLength={24} defaultValue={failure?.values.cardNumber} error={failure?.fields.cardNumber} />
        <Input name="holderName" label="simulatedBank.holderName" hint={t("simulatedBank.holderHint")} autoComplete="cc-name" maxLength={100} defaultValue={failure?.values.holderName} error={failure?.fields.holderName} />
        <button type="submit" className="button" data-testid="pay">
          {t("simulatedBank.pay")}
        </button>
      </Form>
      <h2>{t("simulatedBank.testCards.title")}</h2>
      <p>{t("simulatedBank.testCards.lead")}</p>
      <TableScroll label={t("simulatedBank.testCards.title")}>
        <table className="table" data-testid="test-cards">
          <thead>
            <tr>
              <th scope="col">{t("simulatedBank.cardNumber")}</th>
              <th scope="col">{t("simulatedBank.testCards.what")}</th>
            </tr>
          </thead>
          <tbody>
            {d.testCards.map((c) => (
              <tr key={c.number}>
                <td>
                  <code>{c.number}</code>
                </td>
                <td>{t(`simulatedBank.testCards.${c.behaviour}`, { code: d.confirmationCode, seconds: d.failsLaterSeconds })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

function CodeStep({ data: d, failure }: { data: LoaderData; failure: ReturnType<typeof failureFor> }) {
  const { t } = useTranslation();
  return (
    <>
      <ProblemSummary failure={failure} labels={{ code: "simulatedBank.code" }} />
      <p className="inset-text">{t("simulatedBank.codeLead", { last4: d.cardLast4 ?? "", code: d.confirmationCode })}</p>
      <Form method="post" className="narrow" data-testid="code-form">
        <input type="hidden" name="intent" value="confirm" />
        <Input name="code" label="simulatedBank.code" inputMode="numeric" autoComplete="one-time-code" maxLength={12} width="short" error={failure?.fields.code} />
        <button type="submit" className="button" data-testid="confirm">
          {t("simulatedBank.confirm")}
        </button>
      </Form>
    </>
  );
}

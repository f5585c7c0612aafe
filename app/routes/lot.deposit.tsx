import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/lot.deposit";
import { getPublicLot, ownRegistration, payDeposit } from "../../auction/index.ts";
import { Money } from "../components/auction.tsx";
import { failureFor, ProblemSummary } from "../components/form-fields.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { pageId, refusal } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";

export const meta: Route.MetaFunction = () => [{ title: "交纳保证金 Pay the deposit · 人民法院司法拍卖与评估平台" }];

/** Bidders: the deposit due for their registration and the (demo) payment button (C2). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "lots.bid");
  const lotId = pageId(params.lotId);
  const { db, clock, depositGateway } = services(context);
  const lot = await getPublicLot(db, clock, lotId);
  if (!lot) throw data({ code: "NOT_FOUND" }, { status: 404 });
  const registration = await ownRegistration(db, user, lotId);
  // Nothing to pay: the lot page shows where the bidder stands.
  if (!registration || registration.status !== "awaiting_deposit") throw redirect(`/lots/${lotId}`);
  return { lot: { id: lot.id, title: lot.title }, depositDueFen: toPlain(registration.depositDueFen), demo: depositGateway.isDemo };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "lots.bid");
  const lotId = pageId(params.lotId);
  const { db, clock, depositGateway } = services(context);
  try {
    const { bidderCode } = await payDeposit(db, clock, depositGateway, user, lotId);
    return redirect(`/lots/${lotId}?deposit=${bidderCode ? "paid" : "pending"}`);
  } catch (error) {
    return refusal(error, "deposit", {}, { formFields: [] });
  }
}

export default function Deposit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { lot, depositDueFen, demo } = loaderData;
  return (
    <div className="narrow">
      <p className="breadcrumbs">
        <Link to={`/lots/${lot.id}`}>{lot.title}</Link>
      </p>
      <h1>{t(demo ? "deposit.titleDemo" : "deposit.title")}</h1>
      <ProblemSummary failure={failureFor(actionData, "deposit")} />
      <p className="deposit-due">
        {t("deposit.due")} <Money fen={depositDueFen} className="money--strong" />
      </p>
      <p>{t("deposit.lead")}</p>
      {demo && <p className="demo-notice">{t("deposit.demoNotice")}</p>}
      <Form method="post">
        <button type="submit" className="button" disabled={navigation.state === "submitting"} data-testid="pay-deposit">
          {t(demo ? "deposit.payDemo" : "deposit.pay")}
        </button>
      </Form>
    </div>
  );
}

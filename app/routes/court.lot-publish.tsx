import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/court.lot-publish";
import { courtLotPlace, getPublicLot } from "../../auction/index.ts";
import { DateTime, SpecialWarnings, SummaryList } from "../components/auction.tsx";
import { AmountToConfirm } from "../components/confirm-amount.tsx";
import { LotDisclosures } from "../components/lot-disclosures.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { pageId } from "../lib/forms.server.ts";
import { lotView } from "../lib/lot-view.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("publishPreview.title");

/**
 * Judges: the second step before publishing a lot (B11), which cannot be undone: the announcement as the public
 * will read it, with its amounts in figures and in 大写. Its form posts the publication to the lot's court page.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "lots.publish");
  const lotId = pageId(params.lotId);
  const { db, clock } = services(context);
  let place;
  try {
    place = await courtLotPlace(db, user, lotId);
  } catch (error) {
    throw asPageError(error);
  }
  const lot = await getPublicLot(db, clock, lotId, { includeDraft: true });
  if (!lot) throw data({ code: "NOT_FOUND" }, { status: 404 });
  // Only a draft is published; for any other the lot's page says where it stands.
  if (lot.status !== "draft") throw redirect(`/court/lots/${lotId}`);
  return { lot: lotView(lot), place };
}

export default function CourtLotPublish({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { lot, place } = loaderData;
  const latest = lot.announcements[0];
  return (
    <div>
      <p className="breadcrumbs">
        <Link to={`/court/cases/${place.caseId}`}>{lot.caseNumber}</Link> › <Link to={`/court/lots/${lot.id}`}>{lot.title}</Link>
      </p>
      <h1>{t("publishPreview.title")}</h1>
      <p>{t("publishPreview.lead")}</p>

      <article className="announcement-preview" aria-labelledby="preview-heading" data-testid="announcement-preview">
        <p className="caption">
          {lot.courtName} · {lot.caseNumber}
        </p>
        <h2 id="preview-heading">{lot.title}</h2>
        <p>
          {t(`round.${lot.round}`)} · {t(`category.${lot.asset.category}`)}
        </p>
        <AmountToConfirm label="lot.rules.startingPrice" fen={lot.startingPriceFen} testId="preview-starting-price" />
        <AmountToConfirm label="lot.rules.deposit" fen={lot.depositFen} testId="preview-deposit" />
        <AmountToConfirm label="lot.rules.increment" fen={lot.incrementFen} testId="preview-increment" />
        <SummaryList
          rows={[
            ["lot.rules.biddingStartsAt", <DateTime iso={lot.biddingStartsAt} key="b" />],
            ["lot.rules.biddingEndsAt", <DateTime iso={lot.biddingEndsAt} key="e" />],
            ["lot.rules.extension", t("lot.rules.extensionText")],
            ["lot.rules.balanceDue", `${lot.balanceDueDays} ${t("time.days")}`],
            ["lot.rules.housing", latest?.content.housingEligibilityRequired ? t("lot.rules.housingText") : null],
          ]}
        />
        <SpecialWarnings warnings={latest?.content.warnings ?? []} />
        <h3>{t("lot.disclosure.title")}</h3>
        <LotDisclosures lot={lot} />
      </article>

      <Form method="post" action={`/court/lots/${lot.id}`} className="confirm-step">
        <p>{t("publishPreview.confirmLead")}</p>
        <input type="hidden" name="intent" value="publish" />
        <p className="actions-row">
          <button type="submit" className="button" disabled={navigation.state === "submitting"} data-testid="confirm-publish">
            {t("publishPreview.confirm")}
          </button>
          <Link to={`/court/lots/${lot.id}`} className="button button--secondary">
            {t("publishPreview.back")}
          </Link>
        </p>
      </Form>
    </div>
  );
}

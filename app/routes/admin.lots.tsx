import { useTranslation } from "react-i18next";
import { redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin.lots";
import { holdLot, listPublicLots } from "../../auction/index.ts";
import { plainText } from "../../core/validation.ts";
import { DateTime, PhaseTag, SuccessBanner } from "../components/auction.tsx";
import { failureFor, FoldedForm, ProblemSummary, TextArea } from "../components/form-fields.tsx";
import { requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, parseForm, readForm, refusal } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("faultHold.title");

const faultSchema = z.object({ lotId: z.uuid(), reason: plainText({ max: 500, multiline: true }) });

/**
 * G2: the platform's admin suspends a lot, before or during its bidding, for a system fault or a security risk. The
 * court sees it at once on its lot page, as the platform's suspension, and decides the resumption (G3).
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  requirePageUser(request, context, "lots.hold_for_fault");
  const { db, clock } = services(context);
  const open = [...(await listPublicLots(db, clock, { phase: "bidding" })), ...(await listPublicLots(db, clock, { phase: "announced" }))];
  return { lots: toPlain(open), held: new URL(request.url).searchParams.get("done") === "held" };
}

export async function action({ request, context }: Route.ActionArgs) {
  const admin = requirePageUser(request, context, "lots.hold_for_fault");
  const { db, clock, publisher } = services(context);
  const values = formValues(await readForm(request));
  const parsed = parseForm(faultSchema, values);
  if (!parsed.ok) return formFailure("fault", values, parsed.fields, [], 400);
  try {
    await holdLot(db, clock, publisher, admin, parsed.data.lotId, { kind: "suspend", reason: parsed.data.reason });
  } catch (error) {
    return refusal(error, "fault", values, { formFields: ["reason"] });
  }
  return redirect("/admin/lots?done=held");
}

export default function AdminLots({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { lots, held } = loaderData;
  const failure = failureFor(actionData, "fault");
  return (
    <div>
      <h1>{t("faultHold.title")}</h1>
      <p>{t("faultHold.lead")}</p>
      {held && <SuccessBanner>{t("faultHold.done")}</SuccessBanner>}
      <ProblemSummary failure={failure} labels={{ reason: "faultHold.reason" }} />
      {lots.length === 0 ? (
        <p className="inset-text">{t("faultHold.none")}</p>
      ) : (
        <ul className="plain-list" data-testid="fault-lots">
          {lots.map((lot) => (
            <li key={lot.id} className="form-section">
              <h2>
                <a href={`/lots/${lot.id}`}>{lot.title}</a>
              </h2>
              <p>
                <PhaseTag phase={lot.phase} /> {lot.courtName} · {t(lot.phase === "announced" ? "lot.time.startsAt" : "lot.time.closesAt")}{" "}
                <DateTime iso={lot.phase === "announced" ? lot.biddingStartsAt : lot.closesAt} />
              </p>
              <FoldedForm summary="faultHold.open" open={failure?.values.lotId === lot.id}>
                <input type="hidden" name="lotId" value={lot.id} />
                <TextArea name="reason" label="faultHold.reason" defaultValue={failure?.values.lotId === lot.id ? failure.values.reason : undefined} error={failure?.values.lotId === lot.id ? failure.fields.reason : undefined} rows={2} maxLength={500} hint={t("faultHold.reasonHint")} />
                <button type="submit" className="button button--warning">
                  {t("faultHold.submit")}
                </button>
              </FoldedForm>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

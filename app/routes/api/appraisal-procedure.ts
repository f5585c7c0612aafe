import type { Route } from "./+types/appraisal-procedure";
import { priceReviewHold, procedureView } from "../../../appraisal/index.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/**
 * GET /api/v1/procedures/:procedureId — one procedure: ranking, commissions, reports (without content), objections (court
 * staff); and `reviewHold`, what a party's review holds the price up by (A20: until when, or since a review was asked).
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  return api(request, context, "appraisal.manage", async (user) => {
    const { db, clock } = services(context);
    const view = await procedureView(db, user!, uuidParam(params.procedureId));
    return apiJson({ ...view, reviewHold: view.procedure.status === "open" ? priceReviewHold(view, clock.now()) : null });
  });
}

import type { Route } from "./+types/appraisal-asset-procedures";
import { assetProcedures, startPricing, startPricingSchema } from "../../../appraisal/index.ts";
import { api, apiJson, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** GET /api/v1/assets/:assetId/procedures — the asset's pricing procedures, newest first (court staff). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  return api(request, context, "appraisal.manage", async (user) => apiJson({ procedures: await assetProcedures(services(context).db, user!, uuidParam(params.assetId)) }));
}

/**
 * POST /api/v1/assets/:assetId/procedures — starts a pricing procedure (A2–A5, A11) through the use case of its
 * method, as the asset page does: the same fields, the same authorization (A3–A5 are the judge's), and an online
 * inquiry sends its requests. A1's late start is reported, not refused.
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "appraisal.manage", async (user) => {
    const { db, clock } = services(context);
    const assetId = uuidParam(params.assetId);
    return apiJson(await startPricing(db, clock, user!, assetId, await readJson(request, startPricingSchema.loose())), 201);
  });
}

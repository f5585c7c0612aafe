import type { Route } from "./+types/reference-prices";
import { recordReferencePrice, referencePriceSchema } from "../../../auction/index.ts";
import { api, apiJson, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/assets/:assetId/reference-prices — a negotiated or directed-inquiry price (A3, A4). */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "cases.manage", async (user) => {
    const { db, clock } = services(context);
    return apiJson(await recordReferencePrice(db, clock, user!, uuidParam(params.assetId), await readJson(request, referencePriceSchema)), 201);
  });
}

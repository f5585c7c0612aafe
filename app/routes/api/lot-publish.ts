import type { Route } from "./+types/lot-publish";
import { publishLot } from "../../../auction/index.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/lots/:lotId/publish — a judge publishes the announcement (B5, B10, B11). */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "lots.publish", async (user) => {
    const { db, clock, scheduler } = services(context);
    const lotId = uuidParam(params.lotId);
    const published = await publishLot(db, clock, user!, lotId);
    await scheduler.scheduleClose(lotId, published.closesAt);
    return apiJson({ lotId, closesAt: published.closesAt });
  });
}

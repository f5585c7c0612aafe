import type { Route } from "./+types/lot";
import { getPublicLot } from "../../../auction/index.ts";
import { AppError } from "../../../core/errors.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** GET /api/v1/lots/:lotId — the lot's state, bid history by code and, once sold, the result (E5). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  return api(request, context, null, async () => {
    const { db, clock } = services(context);
    const lot = await getPublicLot(db, clock, uuidParam(params.lotId));
    if (!lot) throw new AppError("NOT_FOUND");
    return apiJson({ lot });
  });
}

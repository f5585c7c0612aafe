import type { Route } from "./+types/appraisal-draw-verification";
import { verifyDraw } from "../../../appraisal/index.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** GET /api/v1/draws/:drawId/verification — P6: the draw recomputed from its published inputs, and each check. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  return api(request, context, null, async () => apiJson({ verification: await verifyDraw(services(context).db, uuidParam(params.drawId)) }));
}

import type { Route } from "./+types/appraisal-draw";
import { publicDraw } from "../../../appraisal/index.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** GET /api/v1/draws/:drawId — P6: a draw as anyone may see it; the seed only once it has run. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  return api(request, context, null, async () => apiJson({ draw: await publicDraw(services(context).db, uuidParam(params.drawId)) }));
}

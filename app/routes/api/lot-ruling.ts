import type { Route } from "./+types/lot-ruling";
import { serveRuling, rulingSchema } from "../../../auction/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/lots/:lotId/ruling — E7, E8: the judge records the sale ruling's service; refused for a buyer of housing no longer eligible. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "lots.publish", async (user) => {
    const { db, clock } = services(context);
    const lotId = uuidParam(params.lotId);
    const input = await readJson(request, rulingSchema);
    const { handoverDueAt } = await serveRuling(db, clock, user!, lotId, input);
    return apiJson({ lotId, handoverDueAt });
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

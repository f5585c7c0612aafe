import type { Route } from "./+types/lot-handover";
import { handOver, handoverSchema } from "../../../auction/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/lots/:lotId/handover — E7: the judge records the handover of the asset to the buyer. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "lots.publish", async (user) => {
    const { db, clock } = services(context);
    const lotId = uuidParam(params.lotId);
    const input = await readJson(request, handoverSchema);
    await handOver(db, clock, user!, lotId, input);
    return apiJson({ lotId, handedOver: true });
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

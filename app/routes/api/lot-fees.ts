import type { Route } from "./+types/lot-fees";
import { lotFees, recordFees, recordFeesSchema } from "../../../escrow/index.ts";
import { api, apiJson, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** GET /api/v1/lots/:lotId/fees — A26: the figures a lot's fees are computed from, and the fees recorded (court staff). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  return api(request, context, "cases.manage", async (user) => apiJson(await lotFees(services(context).db, user!, uuidParam(params.lotId))));
}

/** POST /api/v1/lots/:lotId/fees — A26: the judge records the fees once the lot sold or its sale-off ended unsold. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "escrow.distribute", async (user) => {
    const { db, clock } = services(context);
    return apiJson({ fees: await recordFees(db, clock, user!, uuidParam(params.lotId), await readJson(request, recordFeesSchema)) }, 201);
  });
}

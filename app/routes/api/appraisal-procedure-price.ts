import type { Route } from "./+types/appraisal-procedure-price";
import { fixPriceSchema, fixReferencePrice } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed } from "../../lib/api.server.ts";
import { readOptionalJson } from "../../lib/appraisal-api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/procedures/:procedureId/price — A18–A23, A25: the judge fixes the reference price from the delivered, unobjected report (or the one named). */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "appraisal.manage", async (user) => {
    const { db, clock } = services(context);
    const id = uuidParam(params.procedureId);
    return apiJson(await fixReferencePrice(db, clock, user!, id, await readOptionalJson(request, fixPriceSchema)), 201);
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

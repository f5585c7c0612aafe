import type { Route } from "./+types/appraisal-commission-decline";
import { declineCommission, procedureReasonSchema } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/commissions/:commissionId/decline — the agency declines with its reason; the next-ranked is commissioned (A13). */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "agency.work", async (user) => {
    const { db, clock } = services(context);
    const commissionId = uuidParam(params.commissionId);
    return apiJson(await declineCommission(db, clock, user!, commissionId, await readJson(request, procedureReasonSchema)));
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

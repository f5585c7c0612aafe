import type { Route } from "./+types/appraisal-commission-accept";
import { acceptCommission } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/commissions/:commissionId/accept — A14, A15: the agency accepts; the report is due 30 days later. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "agency.work", async (user) => {
    const { db, clock } = services(context);
    return apiJson(await acceptCommission(db, clock, user!, uuidParam(params.commissionId)));
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

import type { Route } from "./+types/appraisal-report-delivery";
import { deliverReport } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/reports/:reportId/delivery — A19, A20: the court records the report delivered to the parties; the 5-day objection window runs from now. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "appraisal.manage", async (user) => {
    const { db, clock } = services(context);
    const id = uuidParam(params.reportId);
    return apiJson(await deliverReport(db, clock, user!, id));
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

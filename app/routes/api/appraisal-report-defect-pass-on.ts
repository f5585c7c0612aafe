import type { Route } from "./+types/appraisal-report-defect-pass-on";
import { passDefectOn } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/reports/:reportId/defect-pass-on — A18, A16: the agency let its defect deadline pass; the judge passes the work to the next-ranked agency. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "appraisal.manage", async (user) => {
    const { db, clock } = services(context);
    const id = uuidParam(params.reportId);
    return apiJson(await passDefectOn(db, clock, user!, id));
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

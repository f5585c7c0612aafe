import type { Route } from "./+types/appraisal-report-defect";
import { defectSchema, markReportDefect } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/reports/:reportId/defect — A18: the judge marks a defect (facts, scope or signatory) with a note; the agency answers within 3 days. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "appraisal.manage", async (user) => {
    const { db, clock } = services(context);
    const id = uuidParam(params.reportId);
    return apiJson(await markReportDefect(db, clock, user!, id, await readJson(request, defectSchema)));
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

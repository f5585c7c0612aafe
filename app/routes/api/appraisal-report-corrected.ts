import type { Route } from "./+types/appraisal-report-corrected";
import { submitCorrectedAppraisalReport } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed } from "../../lib/api.server.ts";
import { readReportUpload } from "../../lib/appraisal-api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/reports/:reportId/corrected — A18: the agency's corrected report, multipart/form-data like the first one; it replaces the marked report. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "agency.work", async (user) => {
    const { db, clock } = services(context);
    const id = uuidParam(params.reportId);
    const { fields, file } = await readReportUpload(request);
    return apiJson(await submitCorrectedAppraisalReport(db, clock, user!, id, { ...fields, file }), 201);
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

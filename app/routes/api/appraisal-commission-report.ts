import type { Route } from "./+types/appraisal-commission-report";
import { submitAppraisalReport } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed } from "../../lib/api.server.ts";
import { readReportUpload } from "../../lib/appraisal-api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/**
 * POST /api/v1/commissions/:commissionId/report — A14: the report as multipart/form-data (the PDF in `file`,
 * its method, value in fen, valuation date and validity as text fields). Every fault is named at once.
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "agency.work", async (user) => {
    const { db, clock } = services(context);
    const commissionId = uuidParam(params.commissionId);
    const { fields, file } = await readReportUpload(request);
    return apiJson(await submitAppraisalReport(db, clock, user!, commissionId, { ...fields, file }), 201);
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

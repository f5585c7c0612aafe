import type { Route } from "./+types/appraisal-report-defect-answer";
import { defectExplanationSchema, explainReportDefect } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/reports/:reportId/defect-answer — A18: the agency explains the marked defect; a late explanation is taken and recorded as late. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "agency.work", async (user) => {
    const { db, clock } = services(context);
    const id = uuidParam(params.reportId);
    return apiJson(await explainReportDefect(db, clock, user!, id, await readJson(request, defectExplanationSchema)));
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

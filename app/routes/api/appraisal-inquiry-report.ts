import type { Route } from "./+types/appraisal-inquiry-report";
import { submitInquiryReport } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed } from "../../lib/api.server.ts";
import { readReportUpload } from "../../lib/appraisal-api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/inquiry-requests/:requestId/report — A7, A8: the platform's report, multipart/form-data like an agency's. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "platform.work", async (user) => {
    const { db, clock } = services(context);
    const requestId = uuidParam(params.requestId);
    const { fields, file } = await readReportUpload(request);
    return apiJson(await submitInquiryReport(db, clock, user!, requestId, { ...fields, file }), 201);
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

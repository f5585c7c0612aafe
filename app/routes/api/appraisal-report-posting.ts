import type { Route } from "./+types/appraisal-report-posting";
import { postingSchema, recordReportPosted } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed } from "../../lib/api.server.ts";
import { readOptionalJson } from "../../lib/appraisal-api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/reports/:reportId/posting — A19: the report was posted on 中国执行信息公开网 (at `postedAt`, or now); deemed served 15 days later. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "appraisal.manage", async (user) => {
    const { db, clock } = services(context);
    const id = uuidParam(params.reportId);
    return apiJson(await recordReportPosted(db, clock, user!, id, await readOptionalJson(request, postingSchema)));
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

import type { Route } from "./+types/appraisal-report-objections";
import { fileObjection, objectionSchema } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/**
 * POST /api/v1/reports/:reportId/objections — A20, A21: a party objects to a delivered report within its 5 days,
 * through its own tool's token; the use case checks the court-confirmed link to a party of the report's case.
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "cases.party", async (user) => {
    const { db, clock } = services(context);
    const reportId = uuidParam(params.reportId);
    return apiJson(await fileObjection(db, clock, user!, reportId, await readJson(request, objectionSchema)), 201);
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

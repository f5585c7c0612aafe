import type { Route } from "./+types/appraisal-procedure-reissue";
import { askReissue } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/**
 * POST /api/v1/procedures/:procedureId/reissue — A17: after the price expired and before the first auction is
 * announced, the same agency re-issues in 15 days, or a new online inquiry asks the platforms again (3 days).
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "appraisal.manage", async (user) => {
    const { db, clock } = services(context);
    const id = uuidParam(params.procedureId);
    return apiJson(await askReissue(db, clock, user!, id));
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

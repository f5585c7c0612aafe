import type { Route } from "./+types/appraisal-commission-extensions";
import { extensionSchema, requestExtension } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/**
 * POST /api/v1/commissions/:commissionId/extensions — A15: granted when asked ≥5 days before the deadline,
 * at most twice, ≤15 days each; otherwise 422 EXTENSION_TOO_LATE / EXTENSION_LIMIT / EXTENSION_TOO_LONG.
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "agency.work", async (user) => {
    const { db, clock } = services(context);
    const commissionId = uuidParam(params.commissionId);
    return apiJson(await requestExtension(db, clock, user!, commissionId, await readJson(request, extensionSchema)), 201);
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

import type { Route } from "./+types/my-case";
import { partyCaseView } from "../../../appraisal/index.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/**
 * GET /api/v1/my/cases/:caseId — one case as its party sees it: assets and pricing procedures, delivered reports,
 * objections. A case the user is no party to is not found, whatever the token's scopes.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  return api(request, context, "cases.party", async (user) => apiJson(await partyCaseView(services(context).db, user!, uuidParam(params.caseId))));
}

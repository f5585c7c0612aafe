import type { Route } from "./+types/appraisal-procedure";
import { procedureView } from "../../../appraisal/index.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** GET /api/v1/procedures/:procedureId — one procedure: ranking, commissions, reports (without content), objections (court staff). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  return api(request, context, "appraisal.manage", async (user) => apiJson(await procedureView(services(context).db, user!, uuidParam(params.procedureId))));
}

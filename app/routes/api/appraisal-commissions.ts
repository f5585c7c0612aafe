import type { Route } from "./+types/appraisal-commissions";
import { api, apiJson } from "../../lib/api.server.ts";
import { listAgencyCommissions } from "../../../appraisal/index.ts";
import { services } from "../../lib/http.server.ts";

/** GET /api/v1/commissions — the token's agency's commissions, the most pressing deadline first (A14–A16). */
export async function loader({ request, context }: Route.LoaderArgs) {
  return api(request, context, "agency.work", async (user) => apiJson({ commissions: await listAgencyCommissions(services(context).db, user!) }));
}

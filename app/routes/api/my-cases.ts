import type { Route } from "./+types/my-cases";
import { partyCases } from "../../../appraisal/index.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";

/** GET /api/v1/my/cases — a party's tool: the cases its user stands for a party in, through links the court confirmed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  return api(request, context, "cases.party", async (user) => apiJson({ cases: await partyCases(services(context).db, user!) }));
}

import type { Route } from "./+types/case-distribution";
import { caseDistributions, distributionDraftSchema, draftDistribution } from "../../../escrow/index.ts";
import { api, apiJson, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** GET /api/v1/cases/:caseId/distribution — the escrow's balance and the case's distributions with their payouts (court staff). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  return api(request, context, "cases.manage", async (user) => apiJson(await caseDistributions(services(context).db, user!, uuidParam(params.caseId))));
}

/** POST /api/v1/cases/:caseId/distribution — H3, P9: the judge drafts the distribution (replacing a draft already there). */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "escrow.distribute", async (user) => {
    const { db, clock } = services(context);
    return apiJson(await draftDistribution(db, clock, user!, uuidParam(params.caseId), await readJson(request, distributionDraftSchema)), 201);
  });
}

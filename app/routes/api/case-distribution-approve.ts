import type { Route } from "./+types/case-distribution-approve";
import { approveDistribution, approveDistributionSchema } from "../../../escrow/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/cases/:caseId/distribution/approve — H3, H8: the judge approves the draft; payouts are due in 30 days. Idempotent. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "escrow.distribute", async (user) => {
    const { db, clock, paymentGateway } = services(context);
    const { distributionId } = await readJson(request, approveDistributionSchema);
    return apiJson(await approveDistribution(db, clock, user!, uuidParam(params.caseId), distributionId, paymentGateway.id));
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

import type { Route } from "./+types/case-parties";
import { addParty, partySchema } from "../../../auction/index.ts";
import { api, apiJson, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/cases/:caseId/parties — an applicant creditor or a debtor of the case. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "cases.manage", async (user) => {
    const { db, clock } = services(context);
    return apiJson(await addParty(db, clock, user!, uuidParam(params.caseId), await readJson(request, partySchema)), 201);
  });
}

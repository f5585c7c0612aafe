import type { Route } from "./+types/appraisal-objection-review-outcome";
import { recordReviewOutcome, reviewOutcomeSchema } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/objections/:objectionId/review-outcome — A20: the judge records the outcome of a party's review of a rejected procedural objection. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "appraisal.manage", async (user) => {
    const { db, clock } = services(context);
    const id = uuidParam(params.objectionId);
    return apiJson(await recordReviewOutcome(db, clock, user!, id, await readJson(request, reviewOutcomeSchema)));
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

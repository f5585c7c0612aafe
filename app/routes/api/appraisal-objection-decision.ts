import type { Route } from "./+types/appraisal-objection-decision";
import { decideObjection, decisionSchema } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/objections/:objectionId/decision — A20, A21: the judge decides an objection; upheld sets the report aside and reopens the commission. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "appraisal.manage", async (user) => {
    const { db, clock } = services(context);
    const id = uuidParam(params.objectionId);
    return apiJson(await decideObjection(db, clock, user!, id, await readJson(request, decisionSchema)));
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

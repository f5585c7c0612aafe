import type { Route } from "./+types/appraisal-objection-forward";
import { forwardObjection } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/objections/:objectionId/forward — A21: the court forwards a technical objection to the report's author, who answers within 5 days. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "appraisal.manage", async (user) => {
    const { db, clock } = services(context);
    const id = uuidParam(params.objectionId);
    return apiJson(await forwardObjection(db, clock, user!, id));
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

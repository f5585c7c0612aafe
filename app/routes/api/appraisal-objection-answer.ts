import type { Route } from "./+types/appraisal-objection-answer";
import { answerObjection, answerSchema } from "../../../appraisal/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/**
 * POST /api/v1/objections/:objectionId/answer — A21: the agency or inquiry platform that wrote the report answers a
 * forwarded objection within 5 days; the use case checks that the user works for the report's author.
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, ["agency.work", "platform.work"], async (user) => {
    const { db, clock } = services(context);
    const id = uuidParam(params.objectionId);
    await answerObjection(db, clock, user!, id, await readJson(request, answerSchema));
    return apiJson({ answered: true });
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

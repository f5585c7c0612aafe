import type { Route } from "./+types/lot-resume";
import { resumeLot, resumeSchema } from "../../../auction/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/lots/:lotId/resume — G3, P15: the judge resumes a held lot; the time it had left runs from now. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "lots.hold", async (user) => {
    const { db, clock, publisher, scheduler } = services(context);
    const input = await readJson(request, resumeSchema);
    const resumed = await resumeLot(db, clock, publisher, scheduler, user!, uuidParam(params.lotId), input);
    return apiJson({ phase: resumed.phase, biddingStartsAt: resumed.biddingStartsAt, closesAt: resumed.closesAt });
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

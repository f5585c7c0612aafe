import type { Route } from "./+types/lot-hold";
import { holdLot, holdSchema } from "../../../auction/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/lots/:lotId/hold — G1, P15: the judge suspends or stays the lot with a public reason. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "lots.hold", async (user) => {
    const { db, clock, publisher } = services(context);
    const input = await readJson(request, holdSchema);
    const held = await holdLot(db, clock, publisher, user!, uuidParam(params.lotId), input);
    return apiJson({ kind: held.kind, heldAt: held.heldAt });
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

import type { Route } from "./+types/lot-revoke";
import { revokeSchema } from "../../../auction/index.ts";
import { revokeSale } from "../../../escrow/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/lots/:lotId/revoke — G7, I5, P2: the judge revokes a sale after its close; the buyer's money goes back. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "lots.hold", async (user) => {
    const { db, clock } = services(context);
    const lotId = uuidParam(params.lotId);
    const input = await readJson(request, revokeSchema);
    const { nextLotId } = await revokeSale(db, clock, user!, lotId, input);
    return apiJson({ lotId, status: "revoked", nextLotId });
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

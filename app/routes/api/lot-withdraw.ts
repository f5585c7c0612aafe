import type { Route } from "./+types/lot-withdraw";
import { withdrawLot, withdrawSchema } from "../../../auction/index.ts";
import { settleLotDeposits } from "../../../escrow/index.ts";
import { api, apiJson, methodNotAllowed, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/lots/:lotId/withdraw — G5, P2: the judge withdraws the lot before its start; its deposits go back. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "lots.hold", async (user) => {
    const { db, clock } = services(context);
    const lotId = uuidParam(params.lotId);
    const input = await readJson(request, withdrawSchema);
    await withdrawLot(db, clock, user!, lotId, input);
    const { released } = await settleLotDeposits(db, clock, lotId);
    return apiJson({ lotId, status: "withdrawn", depositsReleased: released });
  });
}

/** Only POST is served here: any other method is 405, in the API's error shape. */
export function loader() {
  return methodNotAllowed();
}

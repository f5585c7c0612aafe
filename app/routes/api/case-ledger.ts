import type { Route } from "./+types/case-ledger";
import { caseLedger } from "../../../escrow/index.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** GET /api/v1/cases/:caseId/ledger — H5, H6: the case's accounts with their balances and its transfers (court staff). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  return api(request, context, "cases.manage", async (user) => apiJson(await caseLedger(services(context).db, user!, uuidParam(params.caseId))));
}

import type { Route } from "./+types/lots";
import { createLotDraft, lotDraftSchema, searchLots, searchParams } from "../../../auction/index.ts";
import { api, apiJson, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";

/**
 * GET /api/v1/lots — the public search (docs/decisions/024-lot-search.md): the same parameters as the search page,
 * prices in fen, and `region` (a division-code prefix) for systems that hold codes. Bad input is 400
 * VALIDATION_FAILED naming each parameter.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  return api(request, context, null, async () => {
    const { db, clock } = services(context);
    return apiJson(await searchLots(db, clock, searchParams(new URL(request.url).searchParams)));
  });
}

/** POST /api/v1/lots — a lot draft; the set-up rules answer 422 LOT_RULES_VIOLATED with the fields. */
export async function action({ request, context }: Route.ActionArgs) {
  return api(request, context, "cases.manage", async (user) => {
    const { db, clock } = services(context);
    return apiJson(await createLotDraft(db, clock, user!, await readJson(request, lotDraftSchema)), 201);
  });
}

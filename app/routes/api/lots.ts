import { z } from "zod";
import type { Route } from "./+types/lots";
import { ASSET_CATEGORIES, createLotDraft, listPublicLots, LOT_PHASES, lotDraftSchema } from "../../../auction/index.ts";
import { AppError } from "../../../core/errors.ts";
import { api, apiJson, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";

const lotFiltersSchema = z.object({
  phase: z.enum(LOT_PHASES).optional(),
  category: z.enum(ASSET_CATEGORIES).optional(),
  region: z.string().regex(/^\d{2,6}$/).optional(),
  court: z.uuid().optional(),
});

/** GET /api/v1/lots — public lots, soonest close first. */
export async function loader({ request, context }: Route.LoaderArgs) {
  return api(request, context, null, async () => {
    const query = lotFiltersSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) throw new AppError("VALIDATION_FAILED");
    const { phase, category, region, court } = query.data;
    const { db, clock } = services(context);
    return apiJson({ lots: await listPublicLots(db, clock, { phase, category, regionPrefix: region, courtId: court }) });
  });
}

/** POST /api/v1/lots — a lot draft; the set-up rules answer 422 LOT_RULES_VIOLATED with the fields. */
export async function action({ request, context }: Route.ActionArgs) {
  return api(request, context, "cases.manage", async (user) => {
    const { db, clock } = services(context);
    return apiJson(await createLotDraft(db, clock, user!, await readJson(request, lotDraftSchema)), 201);
  });
}

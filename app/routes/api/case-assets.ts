import type { Route } from "./+types/case-assets";
import { assetSchema, createAsset } from "../../../auction/index.ts";
import { api, apiJson, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/cases/:caseId/assets — a seized asset with what A2 requires to be established. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "cases.manage", async (user) => {
    const { db, clock } = services(context);
    return apiJson(await createAsset(db, clock, user!, uuidParam(params.caseId), await readJson(request, assetSchema)), 201);
  });
}

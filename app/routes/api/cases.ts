import type { Route } from "./+types/cases";
import { createCase, createCaseSchema } from "../../../auction/index.ts";
import { api, apiJson, readJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";

/** POST /api/v1/cases — a court's case-management system opens an enforcement case. */
export async function action({ request, context }: Route.ActionArgs) {
  return api(request, context, "cases.create", async (user) => {
    const { db, clock } = services(context);
    return apiJson(await createCase(db, clock, user!, await readJson(request, createCaseSchema)), 201);
  });
}

import type { Route } from "./+types/me";
import { api, apiJson } from "../../lib/api.server.ts";

/** GET /api/v1/me — the signed-in user, for machine clients and the live page. */
export async function loader({ request, context }: Route.LoaderArgs) {
  return api(request, context, "account.view", async (user) => apiJson({ id: user!.id, username: user!.username, displayName: user!.displayName, role: user!.role }));
}

import type { Route } from "./+types/admin-users";
import { listUsers } from "../../../identity/index.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";

/** GET /api/v1/admin/users — every account with its role, court and live sessions, for the platform's admins. */
export async function loader({ request, context }: Route.LoaderArgs) {
  return api(request, context, "users.manage", async () => {
    const { db, clock } = services(context);
    return apiJson({ users: await listUsers(db, clock) });
  });
}

import type { Route } from "./+types/admin-user-revoke-sessions";
import { revokeSessions } from "../../../identity/index.ts";
import { AppError } from "../../../core/errors.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/** POST /api/v1/admin/users/:userId/revoke-sessions — an admin signs a user out everywhere; answers how many sessions ended. */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "users.manage", async (admin) => {
    // Other methods are answered NOT_FOUND (after the permission check), as this path always has.
    if (request.method !== "POST") throw new AppError("NOT_FOUND");
    const { db, clock } = services(context);
    return apiJson({ revoked: await revokeSessions(db, clock, admin!, uuidParam(params.userId)) });
  });
}

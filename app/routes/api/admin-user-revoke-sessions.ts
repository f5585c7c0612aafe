import type { Route } from "./+types/admin-user-revoke-sessions";
import { revokeSessions } from "../../../identity/index.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";
import { uuidParam } from "../../lib/params.server.ts";

/**
 * POST /api/v1/admin/users/:userId/revoke-sessions — an admin signs a user out everywhere: every session ends and
 * every API token is revoked. Answers how many of each (`revoked`: sessions, `tokensRevoked`: tokens).
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  return api(request, context, "users.manage", async (admin) => {
    const { db, clock } = services(context);
    const { sessions, tokens } = await revokeSessions(db, clock, admin!, uuidParam(params.userId));
    return apiJson({ revoked: sessions, tokensRevoked: tokens });
  });
}

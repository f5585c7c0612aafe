import { z } from "zod";
import type { Route } from "./+types/api.v1.admin.revoke-sessions";
import { revokeSessions } from "../../identity/index.ts";
import { apiError, asApiError, languageOf, requireApiUser, services } from "../lib/http.server.ts";

export async function action({ request, context, params }: Route.ActionArgs) {
  const lang = languageOf(request);
  const admin = requireApiUser(request, context, "users.manage");
  if (request.method !== "POST") return apiError("NOT_FOUND", lang);
  const userId = z.uuid().safeParse(params.userId);
  if (!userId.success) return apiError("NOT_FOUND", lang);
  const { db, clock } = services(context);
  try {
    return Response.json({ revoked: await revokeSessions(db, clock, admin, userId.data) });
  } catch (error) {
    throw asApiError(error, lang);
  }
}

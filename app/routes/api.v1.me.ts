import type { Route } from "./+types/api.v1.me";
import { requireApiUser } from "../lib/http.server.ts";

/** The signed-in user, for machine clients and the live page. */
export function loader({ request, context }: Route.LoaderArgs) {
  const user = requireApiUser(request, context, "account.view");
  return Response.json({ id: user.id, username: user.username, displayName: user.displayName, role: user.role });
}

import type { Route } from "./+types/api.v1.admin.users";
import { listUsers } from "../../identity/index.ts";
import { requireApiUser, services } from "../lib/http.server.ts";

export async function loader({ request, context }: Route.LoaderArgs) {
  requireApiUser(request, context, "users.manage");
  const { db, clock } = services(context);
  return Response.json({ users: await listUsers(db, clock) });
}

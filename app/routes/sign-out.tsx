import { redirect } from "react-router";
import type { Route } from "./+types/sign-out";
import { signOut } from "../../identity/index.ts";
import { clearSessionCookie, currentUser, services } from "../lib/http.server.ts";

// Signing out is a POST (a link could be followed by a prefetcher); a GET just goes home.
export function loader() {
  return redirect("/");
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = currentUser(context);
  if (user) {
    const { db, clock } = services(context);
    await signOut(db, clock, user);
  }
  return redirect("/", { headers: { "Set-Cookie": clearSessionCookie(request) } });
}

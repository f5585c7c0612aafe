import { redirect } from "react-router";
import type { Route } from "./+types/lang";
import { toLanguage } from "../lib/language.ts";
import { languageCookie, safeNext } from "../lib/http.server.ts";
import { readForm } from "../lib/forms.server.ts";

export function loader() {
  return redirect("/");
}

/** Switches the interface language (a cookie, so it works without JavaScript) and returns to the page. */
export async function action({ request }: Route.ActionArgs) {
  const form = await readForm(request);
  const lang = toLanguage(typeof form.get("lang") === "string" ? String(form.get("lang")) : null);
  return redirect(safeNext(form.get("next"), "/"), { headers: { "Set-Cookie": languageCookie(request, lang) } });
}

import { data, redirect } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/account.sessions";
import { parseInput } from "../../core/validation.ts";
import { endOtherSessions } from "../../identity/index.ts";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { readForm } from "../lib/forms.server.ts";

/** The session list lives on the account page; this address only takes its forms. */
export function loader() {
  return redirect("/account");
}

// "others": every session but this one.
const endSchema = z.object({ sessionId: z.union([z.literal("others"), z.uuid()]) });

/** POST /account/sessions — the user ends one of their other sessions, or all of them, and returns to the list. */
export async function action({ request, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "account.view");
  const parsed = parseInput(endSchema, await readForm(request));
  if (!parsed.ok) return data({ ok: false as const }, { status: 400 });
  const { db, clock } = services(context);
  const { sessionId } = parsed.data;
  try {
    await endOtherSessions(db, clock, user, sessionId === "others" ? null : sessionId);
  } catch (error) {
    throw asPageError(error);
  }
  return redirect("/account#sessions");
}

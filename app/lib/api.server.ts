import type { RouterContextProvider } from "react-router";
import type { z } from "zod";
import { AppError, toErrorBody } from "../../core/errors.ts";
import { parseOrThrow } from "../../core/validation.ts";
import { authorize, PERMISSIONS, type Permission, type SessionUser } from "../../identity/index.ts";
import { currentUser, languageOf } from "./http.server.ts";

/** JSON with integer fen (bigint) as decimal strings and instants as ISO strings. */
export function apiJson(data: unknown, status = 200): Response {
  const body = JSON.stringify(data, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
  return new Response(body, { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

/** Parses a JSON body (Content-Type: application/json, else 415) with a zod schema: malformed JSON and bad fields are VALIDATION_FAILED with field errors. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  // A form or text/plain body is what another site's page can send without a preflight (ADR 015).
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get("content-type") ?? "")) throw new AppError("UNSUPPORTED_MEDIA_TYPE");
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new AppError("VALIDATION_FAILED", { fields: { _body: "validation.malformedJson" } });
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new AppError("VALIDATION_FAILED", { fields: { _body: "validation.malformedJson" } });
  return parseOrThrow(schema, body);
}

/**
 * The permission a route asks of this user. A route that serves several roles names one permission for each (an
 * agency's and a platform's work): the one the user's role has, else the first, whose refusal they then get.
 */
function gateFor(user: SessionUser | null, permission: Permission | readonly Permission[]): Permission {
  if (typeof permission === "string") return permission;
  return permission.find((p) => user !== null && (PERMISSIONS[p].roles as readonly string[]).includes(user.role)) ?? permission[0]!;
}

/**
 * Runs an API handler for a user holding `permission` (or, given several, the one their role has): any AppError
 * becomes its JSON error and status; anything else is a 500 without details (logged by the server).
 */
export async function api(
  request: Request,
  context: Readonly<RouterContextProvider>,
  permission: Permission | readonly Permission[] | null,
  handler: (user: SessionUser | null) => Promise<Response>,
): Promise<Response> {
  const lang = languageOf(request);
  try {
    const user = permission ? authorize(currentUser(context), gateFor(currentUser(context), permission)) : currentUser(context);
    return await handler(user);
  } catch (error) {
    if (error instanceof AppError) return apiJson(toErrorBody(error, lang), error.status);
    throw error;
  }
}

export function methodNotAllowed(): Response {
  return apiJson(toErrorBody(new AppError("METHOD_NOT_ALLOWED"), "en"), 405);
}

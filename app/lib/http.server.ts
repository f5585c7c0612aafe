import { data, redirect, type RouterContextProvider } from "react-router";
import { parse, serialize } from "cookie";
import { isAppError } from "../../core/errors.ts";
import { authorize, SESSION_COOKIE, SESSION_TTL_MS, type Permission, type SessionUser } from "../../identity/index.ts";
import { servicesContext, userContext } from "../services.ts";
import { LANGUAGE_COOKIE, toLanguage, type Language } from "./language.ts";

export function cookiesOf(request: Request): Record<string, string | undefined> {
  return parse(request.headers.get("cookie") ?? "");
}

export function languageOf(request: Request): Language {
  return toLanguage(cookiesOf(request)[LANGUAGE_COOKIE]);
}

export function services(context: Readonly<RouterContextProvider>) {
  return context.get(servicesContext);
}

export function currentUser(context: Readonly<RouterContextProvider>): SessionUser | null {
  return context.get(userContext);
}

/**
 * For pages: the user if they hold `permission`. Anonymous visitors are sent to sign in and
 * brought back; signed-in users without the permission get the 403 page.
 */
export function requirePageUser(request: Request, context: Readonly<RouterContextProvider>, permission: Permission): SessionUser {
  try {
    return authorize(currentUser(context), permission);
  } catch (error) {
    if (isAppError(error) && error.code === "UNAUTHENTICATED") {
      const url = new URL(request.url);
      throw redirect(`/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
    }
    throw asPageError(error);
  }
}

/** An AppError as thrown `data` that the error boundary shows as a friendly page. */
export function asPageError(error: unknown) {
  if (isAppError(error)) return data({ code: error.code }, { status: error.status });
  return error;
}

const isHttps = (request: Request) => new URL(request.url).protocol === "https:";

export function sessionCookie(request: Request, value: string): string {
  return serialize(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: "lax",
    secure: isHttps(request),
    path: "/",
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function clearSessionCookie(request: Request): string {
  return serialize(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", secure: isHttps(request), path: "/", maxAge: 0 });
}

export function languageCookie(request: Request, lang: Language): string {
  return serialize(LANGUAGE_COOKIE, lang, { sameSite: "lax", secure: isHttps(request), path: "/", maxAge: 365 * 24 * 3600 });
}

/**
 * Only same-site paths are followed after sign-in, never another host: a path, not "//host" nor "/\host", and
 * no backslash, space or control character anywhere (browsers drop tabs and line breaks from an address, which
 * would turn "/\t/host" into "//host").
 */
export function safeNext(value: FormDataEntryValue | string | null | undefined, fallback = "/account"): string {
  return typeof value === "string" && /^\/(?![/\\])[^\\\u0000-\u0020\u007f]*$/.test(value) ? value : fallback;
}

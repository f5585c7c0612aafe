// How the Express layer refuses a request before React Router sees it (a method, a body size, a foreign
// Origin): the error's status and code, in the shape of the route — JSON under /api/, plain text in both
// languages elsewhere — and never cached.
import type { Request, Response } from "express";
import { errorMessage, toErrorBody, type AppError } from "../core/errors.ts";
import { cookieLanguage, wantsJson } from "../core/unavailable-page.ts";

export function refuseRequest(req: Request, res: Response, error: AppError): void {
  res.status(error.status).setHeader("cache-control", "no-store");
  if (wantsJson(req.path)) {
    res.json(toErrorBody(error, cookieLanguage(req.get("cookie"))));
  } else {
    res.type("text/plain; charset=utf-8").send(`${errorMessage(error.code, "zh-CN")} ${errorMessage(error.code, "en")}`);
  }
}

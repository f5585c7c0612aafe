import { errorMessage, toErrorBody, AppError, type Lang } from "./errors.ts";

// What a client gets while the database cannot be reached (ADR 017): 503, a Retry-After, and either the
// API's JSON error or a small page in the reader's language. A page that needs no database, no script and
// no session, so the server can send it from anywhere (React Router, the request timeout, the last handler).

export const RETRY_AFTER_SECONDS = 10;

export const UNAVAILABLE_PAGE = {
  "zh-CN": { title: "服务暂时不可用", body: "请稍后刷新本页。您刚才的操作未被处理，如有需要请重新提交。", reload: "刷新" },
  en: { title: "The service is unavailable for a moment", body: "Reload this page in a little while. What you just did was not processed: send it again if needed.", reload: "Reload" },
} as const satisfies Record<Lang, { title: string; body: string; reload: string }>;

export interface UnavailableAnswer {
  status: 503;
  headers: Record<string, string>;
  body: string;
}

/** The answer for an API call (`json`) or a page. */
export function serviceUnavailable(lang: Lang, json: boolean): UnavailableAnswer {
  const headers = { "retry-after": String(RETRY_AFTER_SECONDS), "cache-control": "no-store" };
  if (json) {
    return { status: 503, headers: { ...headers, "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(toErrorBody(new AppError("SERVICE_UNAVAILABLE"), lang)) };
  }
  const t = UNAVAILABLE_PAGE[lang];
  const body = `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.title}</title></head>
<body>
<main id="main" class="error-page" data-status="503">
<h1>${t.title}</h1>
<p>${errorMessage("SERVICE_UNAVAILABLE", lang)}</p>
<p>${t.body}</p>
<p><a href="">${t.reload}</a></p>
</main>
</body>
</html>
`;
  return { status: 503, headers: { ...headers, "content-type": "text/html; charset=utf-8" }, body };
}

/** API paths answer JSON; everything else is a page. */
export function wantsJson(pathname: string): boolean {
  return pathname.startsWith("/api/");
}

/** The reader's language from the `lang` cookie (app/lib/language.ts), for answers sent outside React Router. */
export function cookieLanguage(cookieHeader: string | undefined): Lang {
  return /(?:^|;\s*)lang=en(?:;|$)/.test(cookieHeader ?? "") ? "en" : "zh-CN";
}

// The document's <title>, in the reader's language only. Each page route names its title in its `handle` (a label
// key, and the record the page is about); the root's Layout writes it with the site's name, and an error page's
// title for 403, 404 and the others. Titles are not in route `meta`: a meta function has no catalogue to translate
// with, and the titles were once written in both languages at once.
import type { TFunction } from "i18next";
import { isRouteErrorResponse } from "react-router";

/** What a route's `handle` says about its page's title. */
export interface PageHandle {
  title?: (t: TFunction, data: unknown) => string;
}

/**
 * A page's title: the label `key` (usually the page's heading), after the name of the record the page is about
 * (a lot's title, a case number) when `name` finds one in the loader's data.
 */
export function pageTitle<Data>(key: string, name?: (data: Data) => string | null | undefined): Required<PageHandle> {
  return {
    title: (t, data) => {
      const named = data !== undefined && data !== null && name ? name(data as Data) : null;
      return named ? `${named} · ${t(key)}` : t(key);
    },
  };
}

/** Which error page a status gets; any other status is "unexpected". */
const PAGE_ERRORS: Record<number, string> = {
  400: "badRequest",
  401: "unauthenticated",
  403: "forbidden",
  404: "notFound",
  405: "badRequest",
  413: "tooLarge",
  415: "badRequest",
  429: "rateLimited",
  503: "unavailable",
};

/** The error page's kind for what a route threw (its label keys are errors.page.<kind>.*), and its status. */
export function errorPageOf(error: unknown): { status: number; kind: string } {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return { status, kind: PAGE_ERRORS[status] ?? "unexpected" };
}

/** The document's title: the page's (or the error page's) title and the site's name, or the site's name alone. */
export function documentTitle(t: TFunction, matches: readonly { handle: unknown; loaderData: unknown }[], error: unknown): string {
  const site = t("site.name");
  let page: string | undefined;
  if (error !== undefined && error !== null) {
    page = t(`errors.page.${errorPageOf(error).kind}.title`);
  } else {
    const titled = matches.findLast((m) => typeof (m.handle as PageHandle | undefined)?.title === "function");
    page = titled && (titled.handle as Required<PageHandle>).title(t, titled.loaderData);
  }
  return page && page !== site ? `${page} · ${site}` : site;
}

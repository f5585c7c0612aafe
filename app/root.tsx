import { useContext } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { Form, Links, Link, Meta, Outlet, Scripts, ScrollRestoration, UNSAFE_DataRouterDataContext, useLocation, useMatches, useRouteError, useRouteLoaderData } from "react-router";
import type { Route } from "./+types/root";
import { can, findSessionUser, findTokenUser, unreadNoticeCount, unsealToken, SESSION_COOKIE, type Permission, type SessionUser } from "../identity/index.ts";
import { standsForAParty } from "../auction/index.ts";
import { NoticeBell } from "./components/notice-bell.tsx";
import { useI18n } from "./i18n/index.ts";
import type { Texts } from "./i18n/areas.ts";
import { textsFor } from "./i18n/texts.server.ts";
import type { loader as areaTextsLoader } from "./routes/texts.tsx";
import { isDatabaseUnavailable } from "../core/database-unavailable.ts";
import { cookiesOf, languageOf, services } from "./lib/http.server.ts";
import { DEFAULT_LANGUAGE, type Language } from "./lib/language.ts";
import { documentTitle, errorPageOf } from "./lib/page-title.ts";
import { serviceUnavailable, wantsJson } from "../core/unavailable-page.ts";
import { databaseFaultContext, requestInfoContext, userContext } from "./services.ts";
import stylesHref from "./styles.css?url";

/** What the layout translates with when the root sent no texts (its loader failed). */
const NO_TEXTS: Texts = {};

// Resolves the session (browsers) or the bearer token (machine clients of /api) on every request,
// so revocations apply at once. Whatever is answered to a signed-in user, page, data or API, is
// private: it is marked no-store here, the one place every response passes (ASVS V8.2.1).
const sessionMiddleware: Route.MiddlewareFunction = async ({ request, context }, next) => {
  const { db, clock, sessionSecret, sessionIdleMs } = services(context);
  const authorization = request.headers.get("authorization");
  if (authorization && new URL(request.url).pathname.startsWith("/api/")) {
    context.set(userContext, await findTokenUser(db, clock, authorization, request.method));
  } else {
    const token = unsealToken(cookiesOf(request)[SESSION_COOKIE], sessionSecret);
    const client = { ip: context.get(requestInfoContext).ip, userAgent: request.headers.get("user-agent") };
    context.set(userContext, await findSessionUser(db, clock, token, { idleMs: sessionIdleMs }, client));
  }
  const response = await next();
  // A route that already forbids storing (e.g. "private, no-store" on a report's PDF) keeps its own header.
  const cacheControl = response.headers.get("Cache-Control") ?? "";
  if (context.get(userContext) && !/\bno-store\b/.test(cacheControl)) response.headers.set("Cache-Control", "no-store");
  return response;
};

/**
 * The database could not be reached while answering (handleError in entry.server.tsx marked it, or the
 * session lookup failed): whatever the route, the answer is 503 — the API's JSON error, or a page in the
 * reader's language that needs no database (ADR 017). A client-side navigation gets the same 503 and
 * shows the error boundary's "unavailable" page.
 */
const availabilityMiddleware: Route.MiddlewareFunction = async ({ request, context }, next) => {
  let response: Response;
  try {
    response = await next();
  } catch (error) {
    // Resource routes (the API) pass a failed middleware's error up instead of answering.
    if (!isDatabaseUnavailable(error)) throw error;
    context.get(databaseFaultContext).unavailable = true;
  }
  if (!context.get(databaseFaultContext).unavailable) return response!;
  const answer = serviceUnavailable(languageOf(request), wantsJson(new URL(request.url).pathname));
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
};

export const middleware: Route.MiddlewareFunction[] = [availabilityMiddleware, sessionMiddleware];

// The style sheet with a precedence: React then sends it ahead of the scripts' preloads, so the browser fetches it
// first and the page can paint before the scripts have arrived.
export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref, precedence: "default" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** The menu's links to pages behind a permission: each is shown to whoever may open its page (same permission). */
const MENU = {
  cases: "cases.manage",
  companies: "companies.confirm",
  deadlines: "appraisal.manage",
  agency: "agency.work",
  platform: "platform.work",
  bids: "lots.bid",
  myCases: "cases.party",
  users: "users.manage",
  pool: "pool.manage",
  reconcile: "escrow.reconcile",
  faultHold: "lots.hold_for_fault",
} as const satisfies Record<string, Permission>;

/**
 * The links the user's menu shows. "My cases" needs more than the permission, which every bidder holds: the
 * account must stand for a party of some case (a link the court confirmed), or the page would only ever be empty.
 */
async function menuOf(db: Parameters<typeof standsForAParty>[0], user: SessionUser): Promise<Record<keyof typeof MENU, boolean>> {
  const may = Object.fromEntries(Object.entries(MENU).map(([link, permission]) => [link, can(user, permission)])) as Record<keyof typeof MENU, boolean>;
  if (may.myCases) may.myCases = await standsForAParty(db, user.id);
  return may;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = context.get(userContext);
  const { db } = services(context);
  const lang = languageOf(request);
  return {
    lang,
    // The menu's, the footer's and the error pages' texts; each page's area brings its own (routes/texts.tsx).
    texts: textsFor(lang, "root"),
    nonce: context.get(requestInfoContext).cspNonce,
    user: user && { displayName: user.displayName, role: user.role, may: await menuOf(db, user), unread: await unreadNoticeCount(db, user.id) },
  };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const lang: Language = data?.lang ?? DEFAULT_LANGUAGE;
  const area = useRouteLoaderData<typeof areaTextsLoader>("routes/texts");
  // The root's texts are the same for a language: a new copy after a revalidation changes nothing.
  const i18n = useI18n(lang, data?.texts ?? NO_TEXTS, area?.texts);
  const matches = useMatches();
  // The simulated bank's checkout is the bank's page: without the platform's menu (app/routes/simulated-bank.tsx).
  const bank = matches.some((m) => (m.handle as { bank?: boolean } | undefined)?.bank);
  // A page's failure is caught by the texts layout's boundary, below this one, so useRouteError here sees only the
  // root's; the router's state holds every route's, and the title must name the error page either way.
  const routerErrors = useContext(UNSAFE_DataRouterDataContext)?.errors;
  const error = useRouteError() ?? (routerErrors ? Object.values(routerErrors)[0] : undefined);
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{documentTitle(i18n.t, matches, error)}</title>
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <a className="skip-link" href="#main">
            {i18n.t("nav.skip")}
          </a>
          {!bank && <Header />}
          <main id="main" className="page">
            {children}
          </main>
          {!bank && <footer className="site-footer">{i18n.t("site.footer")}</footer>}
        </I18nextProvider>
        <ScrollRestoration nonce={data?.nonce} />
        <Scripts nonce={data?.nonce} />
      </body>
    </html>
  );
}

function Header() {
  const { t } = useTranslation();
  const data = useRouteLoaderData<typeof loader>("root");
  const location = useLocation();
  const lang = data?.lang ?? DEFAULT_LANGUAGE;
  const other: Language = lang === "zh-CN" ? "en" : "zh-CN";
  const may = data?.user?.may;
  return (
    <header className="site-header">
      <Link to="/" className="site-name">
        {t("site.name")}
      </Link>
      <nav aria-label={t("nav.label")} className="site-nav">
        <Link to="/lots">{t("nav.lots")}</Link>
        {may?.cases && <Link to="/court/cases">{t("nav.cases")}</Link>}
        {may?.companies && <Link to="/court/companies">{t("companies.link")}</Link>}
        {may?.deadlines && <Link to="/court/deadlines">{t("appraisal.nav.deadlines")}</Link>}
        {may?.agency && <Link to="/agency">{t("agencyPortal.title")}</Link>}
        {may?.platform && <Link to="/platform">{t("platformPortal.title")}</Link>}
        {may?.bids && (
          <>
            <Link to="/my/registrations">{t("nav.myRegistrations")}</Link>
            <Link to="/my/bids">{t("nav.myBids")}</Link>
            <Link to="/my/payments">{t("nav.myPayments")}</Link>
          </>
        )}
        {may?.myCases && <Link to="/my/cases">{t("appraisal.nav.myCases")}</Link>}
        {data?.user ? (
          <>
            <NoticeBell unread={data.user.unread} />
            <Link to="/account" className="signed-in-as" data-testid="signed-in-as">
              {data.user.displayName} <span className="role-tag">{t(`roles.${data.user.role}`)}</span>
            </Link>
            {may?.users && <Link to="/admin/users">{t("nav.users")}</Link>}
            {may?.pool && <Link to="/admin/agencies">{t("pool.agencies.title")}</Link>}
            {may?.pool && <Link to="/admin/platforms">{t("pool.platforms.title")}</Link>}
            {may?.reconcile && <Link to="/admin/reconciliation">{t("reconciliation.title")}</Link>}
            {may?.faultHold && <Link to="/admin/lots">{t("faultHold.nav")}</Link>}
            <Form method="post" action="/sign-out" className="inline-form">
              <button type="submit" className="link-button">
                {t("nav.signOut")}
              </button>
            </Form>
          </>
        ) : (
          <>
            <Link to="/sign-in">{t("nav.signIn")}</Link>
            <Link to="/register">{t("nav.register")}</Link>
          </>
        )}
        <Form method="post" action="/lang" className="inline-form" reloadDocument>
          <input type="hidden" name="lang" value={other} />
          <input type="hidden" name="next" value={location.pathname + location.search} />
          <button type="submit" className="link-button" lang={other}>
            {other === "en" ? "English" : "中文"}
          </button>
        </Form>
      </nav>
    </header>
  );
}

export default function App() {
  return <Outlet />;
}

/** The root's own failures; a page's are shown by the texts layout's boundary (routes/texts.tsx), with ErrorPage. */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}

/** Friendly pages for every failure; details of unexpected errors stay in the server log. */
export function ErrorPage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { status, kind } = errorPageOf(error);
  return (
    <section className="error-page" data-status={status}>
      <h1>{t(`errors.page.${kind}.title`)}</h1>
      <p>{t(`errors.page.${kind}.body`)}</p>
      <p>
        <Link to="/">{t("errors.page.home")}</Link>
      </p>
    </section>
  );
}

import { Outlet, type ShouldRevalidateFunctionArgs } from "react-router";
import type { Route } from "./+types/texts";
import { areaOf } from "../i18n/areas.ts";
import { textsFor } from "../i18n/texts.server.ts";
import { languageOf } from "../lib/http.server.ts";
import { ErrorPage } from "../root.tsx";

// Every page sits in this layout: it sends the texts of the page's area, in the reader's language (ADR 025). The root
// layout adds them to its i18next instance (app/root.tsx).

export function loader({ request }: Route.LoaderArgs) {
  const area = areaOf(new URL(request.url).pathname);
  return { area, texts: textsFor(languageOf(request), area) };
}

/** The texts change only with the area: a change of language reloads the whole page (app/routes/lang.tsx). */
export function shouldRevalidate({ currentUrl, nextUrl }: ShouldRevalidateFunctionArgs) {
  return areaOf(currentUrl.pathname) !== areaOf(nextUrl.pathname);
}

export default function AreaTexts() {
  return <Outlet />;
}

/**
 * A page's failure is shown here rather than at the root: the root's loader then still runs (React Router runs the
 * loaders above the boundary only, also after a refused form post), so the menu and the error page have their texts.
 */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}

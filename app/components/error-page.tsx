import { useTranslation } from "react-i18next";
import { isRouteErrorResponse, Link } from "react-router";

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

/** Friendly pages for every failure; details of unexpected errors stay in the server log. */
export function ErrorPage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  let status = 500;
  if (isRouteErrorResponse(error)) status = error.status;
  const kind = PAGE_ERRORS[status] ?? "unexpected";
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

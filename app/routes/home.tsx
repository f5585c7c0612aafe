import { useTranslation } from "react-i18next";
import { Link, useRouteLoaderData } from "react-router";
import type { loader as rootLoader } from "../root.tsx";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle("home.title");

export default function Home() {
  const { t } = useTranslation();
  const root = useRouteLoaderData<typeof rootLoader>("root");
  return (
    <div>
      <h1>{t("home.title")}</h1>
      <p className="lead">{t("home.lead")}</p>
      <ul className="plain-list">
        <li>{t("home.point.public")}</li>
        <li>{t("home.point.fair")}</li>
        <li>{t("home.point.record")}</li>
      </ul>
      <p>
        <Link to="/lots" className="button" data-testid="browse-lots">
          {t("home.browseLots")}
        </Link>
      </p>
      {!root?.user && (
        <p className="actions-row">
          <Link to="/register" className="button">
            {t("nav.register")}
          </Link>
          <Link to="/sign-in" className="button button--secondary">
            {t("nav.signIn")}
          </Link>
        </p>
      )}
    </div>
  );
}

import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { watchUnreadNotices } from "../lib/notice-socket.ts";

/**
 * The menu's link to the notification centre, with the unread count: from the page's load, then live (a socket
 * watching the account's notices, opened once the page is interactive; without JavaScript the count is the page's).
 */
export function NoticeBell({ unread }: { unread: number }) {
  const { t } = useTranslation();
  const [count, setCount] = useState(unread);
  useEffect(() => setCount(unread), [unread]);
  useEffect(() => watchUnreadNotices(setCount), []);
  return (
    <Link to="/notifications" className="notice-bell" data-testid="notice-bell" aria-label={count > 0 ? `${t("notices.nav")}: ${count} ${t("notices.unread")}` : t("notices.nav")}>
      {t("notices.nav")}
      {count > 0 && (
        <span className="notice-bell__count" data-testid="notice-count" aria-hidden="true">
          {count}
        </span>
      )}
    </Link>
  );
}

import { useTranslation } from "react-i18next";
import { Form } from "react-router";

/** 设置提醒: follow the lot to be reminded before bidding starts and before it ends (a plain form: works without JavaScript). */
export function FollowButton({ lotId, following }: { lotId: string; following: boolean }) {
  const { t } = useTranslation();
  return (
    <Form method="post" action={`/lots/${lotId}/follow`} className="follow-form" data-testid="follow">
      <input type="hidden" name="follow" value={following ? "0" : "1"} />
      <button type="submit" className={following ? "button button--secondary" : "button"} aria-describedby="follow-hint">
        {t(following ? "notices.unfollow" : "notices.follow")}
      </button>{" "}
      <span id="follow-hint" className="hint">
        {t(following ? "notices.following" : "notices.followHint")}
      </span>
    </Form>
  );
}

import { redirect } from "react-router";
import type { Route } from "./+types/lot.follow";
import { setFollowing } from "../../auction/index.ts";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formValues, pageId, readForm } from "../lib/forms.server.ts";

/** Only takes the lot page's 设置提醒 / 取消提醒 posts; a GET goes to the lot. */
export function loader({ params }: Route.LoaderArgs) {
  throw redirect(`/lots/${pageId(params.lotId)}`);
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const lotId = pageId(params.lotId);
  const user = requirePageUser(request, context, "lots.follow");
  const { db, clock } = services(context);
  const values = formValues(await readForm(request), 100);
  try {
    await setFollowing(db, clock, user, lotId, values.follow === "1");
  } catch (error) {
    throw asPageError(error);
  }
  return redirect(`/lots/${lotId}`);
}

import type { Route } from "./+types/appraisal-inquiry-requests";
import { platformInquiryRequests } from "../../../appraisal/index.ts";
import { api, apiJson } from "../../lib/api.server.ts";
import { services } from "../../lib/http.server.ts";

/** GET /api/v1/inquiry-requests — the price inquiries sent to the token's platform, newest first (A7–A9). */
export async function loader({ request, context }: Route.LoaderArgs) {
  return api(request, context, "platform.work", async (user) => apiJson({ requests: await platformInquiryRequests(services(context).db, user!) }));
}

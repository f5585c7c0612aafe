import type { Route } from "./+types/lot-confirmation";
import { confirmationPdf } from "../../auction/index.ts";
import { pageId } from "../lib/forms.server.ts";
import { services } from "../lib/http.server.ts";

/** GET /lots/:lotId/confirmation.pdf — public once the lot is sold (E5); 404 before. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const lotId = pageId(params.lotId);
  const pdf = await confirmationPdf(services(context).db, lotId);
  if (!pdf) throw new Response("Not found", { status: 404 });
  return new Response(Buffer.from(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="confirmation-${lotId}.pdf"`,
      "cache-control": "public, max-age=300",
    },
  });
}

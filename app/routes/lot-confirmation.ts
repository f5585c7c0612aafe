import type { Route } from "./+types/lot-confirmation";
import { confirmationPdf } from "../../auction/index.ts";
import { services } from "../lib/http.server.ts";
import { uuidParam } from "../lib/params.server.ts";
import { asPageError } from "../lib/http.server.ts";

/** GET /lots/:lotId/confirmation.pdf — public once the lot is sold (E5); 404 before. */
export async function loader({ params, context }: Route.LoaderArgs) {
  let lotId: string;
  try {
    lotId = uuidParam(params.lotId);
  } catch (error) {
    throw asPageError(error);
  }
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

import type { Route } from "./+types/lot-file";
import { readLotFile } from "../../auction/index.ts";
import { pageId } from "../lib/forms.server.ts";
import { currentUser, services } from "../lib/http.server.ts";

/** GET /lots/:lotId/files/:fileId — a photo or document of the lot (B8), with its SHA-256 as the ETag. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const file = await readLotFile(services(context).db, currentUser(context), pageId(params.lotId), pageId(params.fileId));
  if (!file) throw new Response("Not found", { status: 404 });
  const extension = file.contentType === "application/pdf" ? "pdf" : file.contentType.split("/")[1];
  return new Response(Buffer.from(file.content), {
    headers: {
      "content-type": file.contentType,
      // Shown in the page for photos, opened for documents; never sniffed as something else.
      "content-disposition": `inline; filename="${file.id}.${extension}"`,
      "x-content-type-options": "nosniff",
      etag: `"${file.sha256}"`,
      "cache-control": "public, max-age=3600",
    },
  });
}

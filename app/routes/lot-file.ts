import type { Route } from "./+types/lot-file";
import { lotFileBytes, readLotFile } from "../../auction/index.ts";
import { byteRange } from "../lib/byte-range.ts";
import { pageId } from "../lib/forms.server.ts";
import { currentUser, services } from "../lib/http.server.ts";

/** A response body is read from the database a slice at a time, so a video is never held whole in memory. */
const SLICE_BYTES = 1024 * 1024;

const EXTENSIONS: Record<string, string> = { "application/pdf": "pdf", "video/mp4": "mp4", "video/webm": "webm" };

/**
 * GET /lots/:lotId/files/:fileId — a photo, video or document of the lot (B8), with its SHA-256 as the ETag. Any
 * file can be read in parts (`Range: bytes=…`, 206), which is how a browser plays and seeks in a video.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { db } = services(context);
  const file = await readLotFile(db, currentUser(context), pageId(params.lotId), pageId(params.fileId));
  if (!file) throw new Response("Not found", { status: 404 });
  const etag = `"${file.sha256}"`;
  const headers: Record<string, string> = {
    "content-type": file.contentType,
    // Shown in the page for photos and videos, opened for documents; never sniffed as something else.
    "content-disposition": `inline; filename="${file.id}.${EXTENSIONS[file.contentType] ?? file.contentType.split("/")[1]}"`,
    "x-content-type-options": "nosniff",
    "accept-ranges": "bytes",
    etag,
    "cache-control": "public, max-age=3600",
  };
  // If-Range: a part only of the very file the client already holds the rest of; otherwise the whole new one.
  const ifRange = request.headers.get("if-range");
  const range = ifRange !== null && ifRange !== etag ? { kind: "whole" as const } : byteRange(request.headers.get("range"), file.sizeBytes);
  if (range.kind === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${file.sizeBytes}` } });
  }
  const [start, end] = range.kind === "part" ? [range.start, range.end] : [0, file.sizeBytes - 1];
  const length = end - start + 1;
  if (range.kind === "part") headers["content-range"] = `bytes ${start}-${end}/${file.sizeBytes}`;
  headers["content-length"] = String(length);
  const status = range.kind === "part" ? 206 : 200;
  if (request.method === "HEAD" || length === 0) return new Response(null, { status, headers });
  let next = start;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const last = Math.min(next + SLICE_BYTES - 1, end);
      controller.enqueue(await lotFileBytes(db, file.id, next, last));
      next = last + 1;
      if (next > end) controller.close();
    },
  });
  return new Response(body, { status, headers });
}

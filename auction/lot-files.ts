import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { lotFiles, lots, type LotFileKind } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { plainText } from "../core/validation.ts";
import { authorize, can, type SessionUser } from "../identity/index.ts";

const MB = 1024 * 1024;
/**
 * B8: photos and videos of the asset, and the announcement's documents (the ruling, the appraisal, the pricing
 * basis). Videos are the formats every browser plays in a <video> element: MP4 and WebM.
 */
export const FILE_RULES = {
  photo: { maxBytes: 5 * MB, types: { "image/jpeg": ["jpg", "jpeg"], "image/png": ["png"], "image/webp": ["webp"] } },
  document: { maxBytes: 20 * MB, types: { "application/pdf": ["pdf"] } },
  video: { maxBytes: 50 * MB, types: { "video/mp4": ["mp4", "m4v"], "video/webm": ["webm"] } },
} as const satisfies Record<LotFileKind, { maxBytes: number; types: Record<string, readonly string[]> }>;

/** The largest upload body accepted at all (the biggest file plus the form around it). */
export const MAX_UPLOAD_BYTES = Math.max(...Object.values(FILE_RULES).map((r) => r.maxBytes)) + MB;

/**
 * The ISO base-media brands of an MP4 video. HEIC and AVIF photos and QuickTime films are ISO files too (an
 * `ftyp` box), so the box alone does not make a video the browser can play: its brand must be one of these.
 */
const MP4_BRANDS = new Set(["isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "dash", "mmp4", "MSNV"]);

/** What the bytes say they are, by their first bytes — never by the name or the browser's claim alone. */
export function sniffType(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.slice(8, 12)) === "WEBP") return "image/webp";
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return "application/pdf";
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.slice(from, to));
  if (ascii(4, 8) === "ftyp" && MP4_BRANDS.has(ascii(8, 12))) return "video/mp4";
  // WebM is Matroska (an EBML header) whose DocType, within the header's first bytes, says "webm".
  if (starts(0x1a, 0x45, 0xdf, 0xa3) && ascii(4, 64).includes("webm")) return "video/webm";
  return null;
}

/**
 * Checks an upload: not empty, within the size limit, and a file of an allowed type whose content,
 * extension and declared MIME type all agree. Returns the content type or a message key.
 */
export function checkUpload(kind: LotFileKind, file: { name: string; type: string; bytes: Uint8Array }): { ok: true; contentType: string } | { ok: false; error: string } {
  const rules = FILE_RULES[kind];
  if (file.bytes.length === 0) return { ok: false, error: "file.error.empty" };
  if (file.bytes.length > rules.maxBytes) return { ok: false, error: `file.error.tooLarge.${kind}` };
  const sniffed = sniffType(file.bytes);
  const allowed = rules.types as Record<string, readonly string[]>;
  if (!sniffed || !allowed[sniffed]) return { ok: false, error: `file.error.type.${kind}` };
  const extension = file.name.toLowerCase().split(".").pop() ?? "";
  if (!allowed[sniffed]!.includes(extension)) return { ok: false, error: "file.error.extension" };
  if (file.type && file.type !== sniffed && file.type !== "application/octet-stream") return { ok: false, error: "file.error.mime" };
  return { ok: true, contentType: sniffed };
}

export const lotFileSchema = z.object({
  kind: z.enum(["photo", "document", "video"], { error: "validation.invalid" }),
  title: plainText({ max: 200, multiline: true }),
});

/** Court staff attach a photo or document to their court's lot, before or during the sale. */
export async function addLotFile(
  db: Db,
  clock: Clock,
  actor: SessionUser,
  lotId: string,
  input: z.infer<typeof lotFileSchema> & { file: { name: string; type: string; bytes: Uint8Array } },
): Promise<{ id: string; sha256: string }> {
  const checked = checkUpload(input.kind, input.file);
  if (!checked.ok) throw new AppError("VALIDATION_FAILED", { fields: { file: checked.error } });
  const sha256 = createHash("sha256").update(input.file.bytes).digest("hex");
  return db.transaction(async (tx) => {
    const [lot] = await tx.select({ courtId: lots.courtId, status: lots.status }).from(lots).where(eq(lots.id, lotId)).for("update");
    if (!lot) throw new AppError("NOT_FOUND");
    authorize(actor, "cases.manage", { courtId: lot.courtId });
    if (lot.status !== "draft" && lot.status !== "published") throw new AppError("LOT_CLOSED");
    const [row] = await tx
      .insert(lotFiles)
      .values({ lotId, kind: input.kind, title: input.title, contentType: checked.contentType, sizeBytes: input.file.bytes.length, sha256, content: input.file.bytes, uploadedBy: actor.id, createdAt: clock.now() })
      .returning({ id: lotFiles.id });
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.lot_file_added", entityType: "lot", entityId: lotId, data: { fileId: row!.id, kind: input.kind, sha256 } });
    return { id: row!.id, sha256 };
  });
}

/** The files of a lot, without their content. */
export async function listLotFiles(db: Db, lotId: string) {
  return db
    .select({ id: lotFiles.id, kind: lotFiles.kind, title: lotFiles.title, contentType: lotFiles.contentType, sizeBytes: lotFiles.sizeBytes, sha256: lotFiles.sha256, createdAt: lotFiles.createdAt })
    .from(lotFiles)
    .where(eq(lotFiles.lotId, lotId))
    .orderBy(asc(lotFiles.createdAt));
}

/** One file's description, without its content; files of a draft lot only for that court's staff. */
export async function readLotFile(db: Db, viewer: SessionUser | null, lotId: string, fileId: string) {
  const [row] = await db
    .select({ id: lotFiles.id, kind: lotFiles.kind, contentType: lotFiles.contentType, sizeBytes: lotFiles.sizeBytes, sha256: lotFiles.sha256, status: lots.status, courtId: lots.courtId })
    .from(lotFiles)
    .innerJoin(lots, eq(lots.id, lotFiles.lotId))
    .where(and(eq(lotFiles.id, fileId), eq(lotFiles.lotId, lotId)));
  if (!row) return null;
  if (row.status === "draft" && !can(viewer, "cases.manage", { courtId: row.courtId })) return null;
  return { id: row.id, kind: row.kind, contentType: row.contentType, sizeBytes: row.sizeBytes, sha256: row.sha256 };
}

/**
 * Bytes `start` to `end` (inclusive) of a file that `readLotFile` let the reader see. The database cuts the slice
 * (`substring` on the bytea), so serving a part of a video never loads the whole of it.
 */
export async function lotFileBytes(db: Db, fileId: string, start: number, end: number): Promise<Uint8Array> {
  const [row] = await db
    .select({ part: sql<Uint8Array>`substring(${lotFiles.content} from ${start + 1}::integer for ${end - start + 1}::integer)` })
    .from(lotFiles)
    .where(eq(lotFiles.id, fileId));
  return row?.part ?? new Uint8Array();
}

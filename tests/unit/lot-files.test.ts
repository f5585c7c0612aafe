import { describe, expect, it } from "vitest";
import { checkUpload, FILE_RULES } from "../../auction/index.ts";

const PDF = new TextEncoder().encode("%PDF-1.7\n%…\n1 0 obj<<>>endobj\n%%EOF");
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const padded = (head: Uint8Array, size: number) => {
  const out = new Uint8Array(size);
  out.set(head);
  return out;
};

describe("B8: photos and documents of a lot", () => {
  it("accepts a PDF document and JPEG/PNG photos whose bytes, name and type agree", () => {
    expect(checkUpload("document", { name: "评估报告.pdf", type: "application/pdf", bytes: PDF })).toEqual({ ok: true, contentType: "application/pdf" });
    expect(checkUpload("photo", { name: "front.JPG", type: "image/jpeg", bytes: JPEG })).toEqual({ ok: true, contentType: "image/jpeg" });
    expect(checkUpload("photo", { name: "plan.png", type: "", bytes: PNG })).toEqual({ ok: true, contentType: "image/png" });
  });

  it("refuses an empty file, a file over the limit, and accepts one exactly at it", () => {
    expect(checkUpload("document", { name: "a.pdf", type: "application/pdf", bytes: new Uint8Array() })).toEqual({ ok: false, error: "file.error.empty" });
    const limit = FILE_RULES.document.maxBytes;
    expect(checkUpload("document", { name: "a.pdf", type: "application/pdf", bytes: padded(PDF, limit) }).ok).toBe(true);
    expect(checkUpload("document", { name: "a.pdf", type: "application/pdf", bytes: padded(PDF, limit + 1) })).toEqual({ ok: false, error: "file.error.tooLarge.document" });
  });

  it("refuses what is not a PDF, a PDF with the wrong extension or declared type, and a PDF sent as a photo", () => {
    const text = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    expect(checkUpload("document", { name: "report.pdf", type: "application/pdf", bytes: text })).toEqual({ ok: false, error: "file.error.type.document" });
    expect(checkUpload("document", { name: "report.exe", type: "application/pdf", bytes: PDF })).toEqual({ ok: false, error: "file.error.extension" });
    expect(checkUpload("document", { name: "report.pdf", type: "text/html", bytes: PDF })).toEqual({ ok: false, error: "file.error.mime" });
    expect(checkUpload("photo", { name: "photo.pdf", type: "application/pdf", bytes: PDF })).toEqual({ ok: false, error: "file.error.type.photo" });
    expect(checkUpload("photo", { name: "photo.png", type: "image/png", bytes: JPEG })).toEqual({ ok: false, error: "file.error.extension" });
  });
});

/** The first bytes of an MP4 (an `ftyp` box of brand `isom`) and of a WebM (EBML with DocType "webm"). */
const box = (brand: string) => new Uint8Array([0, 0, 0, 0x20, ...new TextEncoder().encode(`ftyp${brand}`), 0, 0, 2, 0]);
const MP4 = box("isom");
const ebml = (docType: string) => new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, ...new TextEncoder().encode(docType), 0x42, 0x87, 0x81, 0x04]);
const WEBM = ebml("webm");

describe("B8: videos of a lot, checked by their bytes", () => {
  it("B8: accepts an MP4 and a WebM whose bytes, name and type agree", () => {
    expect(checkUpload("video", { name: "现场.mp4", type: "video/mp4", bytes: MP4 })).toEqual({ ok: true, contentType: "video/mp4" });
    expect(checkUpload("video", { name: "walkthrough.M4V", type: "", bytes: box("mp42") })).toEqual({ ok: true, contentType: "video/mp4" });
    expect(checkUpload("video", { name: "inside.webm", type: "video/webm", bytes: WEBM })).toEqual({ ok: true, contentType: "video/webm" });
  });

  it("B8: refuses what only claims to be a video: text named .mp4, a Matroska film, a QuickTime film, a HEIC photo", () => {
    const text = new TextEncoder().encode("not a video at all, just text");
    expect(checkUpload("video", { name: "clip.mp4", type: "video/mp4", bytes: text })).toEqual({ ok: false, error: "file.error.type.video" });
    expect(checkUpload("video", { name: "clip.webm", type: "video/webm", bytes: ebml("matroska") })).toEqual({ ok: false, error: "file.error.type.video" });
    expect(checkUpload("video", { name: "clip.mp4", type: "video/mp4", bytes: box("qt  ") })).toEqual({ ok: false, error: "file.error.type.video" });
    expect(checkUpload("video", { name: "clip.mp4", type: "video/mp4", bytes: box("heic") })).toEqual({ ok: false, error: "file.error.type.video" });
  });

  it("B8: refuses an MP4 named .webm, one declared as another type, a video sent as a photo, and one over 50 MB", () => {
    expect(checkUpload("video", { name: "clip.webm", type: "", bytes: MP4 })).toEqual({ ok: false, error: "file.error.extension" });
    expect(checkUpload("video", { name: "clip.mp4", type: "video/webm", bytes: MP4 })).toEqual({ ok: false, error: "file.error.mime" });
    expect(checkUpload("photo", { name: "clip.mp4", type: "video/mp4", bytes: MP4 })).toEqual({ ok: false, error: "file.error.type.photo" });
    const limit = FILE_RULES.video.maxBytes;
    expect(limit).toBe(50 * 1024 * 1024);
    expect(checkUpload("video", { name: "a.mp4", type: "video/mp4", bytes: padded(MP4, limit) }).ok).toBe(true);
    expect(checkUpload("video", { name: "a.mp4", type: "video/mp4", bytes: padded(MP4, limit + 1) })).toEqual({ ok: false, error: "file.error.tooLarge.video" });
  });
});

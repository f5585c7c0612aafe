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

// HTTP range requests (RFC 9110 §14): a browser playing a video asks for the part it needs next (`Range: bytes=…`),
// and seeks without downloading what it skips. One range per request: that is what players ask for. A request for
// several ranges gets the whole file (the RFC lets a server ignore a Range header); a range the file cannot satisfy,
// or one that is not a byte range at all, gets 416 with the file's size.

/** What to answer: the whole file (200), one part of it (206), or 416. `end` is inclusive, as in Content-Range. */
export type RangeAnswer = { kind: "whole" } | { kind: "part"; start: number; end: number } | { kind: "unsatisfiable" };

const SPEC = /^(\d*)-(\d*)$/;

/** The answer to a `Range` header for a file of `size` bytes. */
export function byteRange(header: string | null, size: number): RangeAnswer {
  if (header === null) return { kind: "whole" };
  const [unit, specs] = splitOnce(header.trim(), "=");
  // Another unit than bytes is not understood: the RFC says to ignore it.
  if (unit.trim().toLowerCase() !== "bytes") return { kind: "whole" };
  const ranges = (specs ?? "").split(",").map((s) => s.trim());
  if (ranges.length > 1) return ranges.every((r) => SPEC.test(r)) ? { kind: "whole" } : { kind: "unsatisfiable" };
  const match = SPEC.exec(ranges[0]!);
  if (!match) return { kind: "unsatisfiable" };
  const [, first, last] = match as unknown as [string, string, string];
  if (first === "" && last === "") return { kind: "unsatisfiable" };
  if (first === "") {
    // A suffix: the last N bytes (all of them when the file is shorter).
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "part", start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || (last !== "" && Number(last) < start)) return { kind: "unsatisfiable" };
  return { kind: "part", start, end };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

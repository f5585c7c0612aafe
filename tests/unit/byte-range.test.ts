import { describe, expect, it } from "vitest";
import { byteRange } from "../../app/lib/byte-range.ts";

const SIZE = 1000;

describe("B8: range requests for a lot's videos (RFC 9110 §14)", () => {
  it("B8: no Range header, or another unit than bytes: the whole file", () => {
    expect(byteRange(null, SIZE)).toEqual({ kind: "whole" });
    expect(byteRange("items=0-5", SIZE)).toEqual({ kind: "whole" });
  });

  it("B8: the first bytes, a middle part, an open end, and a suffix", () => {
    expect(byteRange("bytes=0-99", SIZE)).toEqual({ kind: "part", start: 0, end: 99 });
    expect(byteRange("bytes=400-599", SIZE)).toEqual({ kind: "part", start: 400, end: 599 });
    expect(byteRange("bytes=900-", SIZE)).toEqual({ kind: "part", start: 900, end: 999 });
    expect(byteRange("bytes=-100", SIZE)).toEqual({ kind: "part", start: 900, end: 999 });
    expect(byteRange("bytes=5-5", SIZE)).toEqual({ kind: "part", start: 5, end: 5 });
  });

  it("B8: an end past the file is cut at its last byte, and a suffix longer than the file is the whole file as a part", () => {
    expect(byteRange("bytes=990-5000", SIZE)).toEqual({ kind: "part", start: 990, end: 999 });
    expect(byteRange("bytes=-5000", SIZE)).toEqual({ kind: "part", start: 0, end: 999 });
  });

  it("B8: a start at or past the end, a backwards range, an empty suffix, or nonsense: 416", () => {
    for (const header of ["bytes=1000-", "bytes=1000-1001", "bytes=5-2", "bytes=-0", "bytes=-", "bytes=abc", "bytes=1-2-3", "bytes=", "bytes=0-1,x"])
      expect(byteRange(header, SIZE), header).toEqual({ kind: "unsatisfiable" });
    expect(byteRange("bytes=0-", 0)).toEqual({ kind: "unsatisfiable" });
  });

  it("B8: several ranges at once are answered with the whole file", () => {
    expect(byteRange("bytes=0-1, 5-6", SIZE)).toEqual({ kind: "whole" });
  });
});

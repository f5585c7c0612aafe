import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fenField, inFormOrder, lineText, parseInput, parseOrThrow, plainText, validFields } from "../../core/validation.ts";
import { AppError } from "../../core/errors.ts";
import { entropySchema, platformSchema, procedureReasonSchema } from "../../appraisal/index.ts";
import { createCaseSchema, lotFileSchema } from "../../auction/index.ts";
import { proxySchema, registerBidderSchema } from "../../identity/index.ts";
import { residentIdCheckChar } from "../../identity/validators.ts";

/** The message key a schema gives one field's value, or "ok". */
function keyOf(schema: z.ZodType, value: unknown): string {
  const parsed = parseInput(z.object({ v: schema }), { v: value });
  return parsed.ok ? "ok" : parsed.fields.v!;
}

describe("ASVS V5.1.3: lineText", () => {
  const line = lineText({ max: 10 });
  it("refuses every control character (a NUL, a bell, a line break, DEL) and keeps what plainText would refuse as markup", () => {
    for (const bad of ["a\u0000b", "a\u0007b", "a\nb", "a\tb", "a\u007fb", "a\u0085b"]) expect(keyOf(line, bad)).toBe("validation.plainText");
    expect(keyOf(line, "a<b")).toBe("ok");
    expect(keyOf(line, "  ")).toBe("validation.required");
    expect(keyOf(line, "x".repeat(11))).toBe("validation.tooLong");
  });
});

describe("plainText", () => {
  const oneLine = plainText({ max: 10 });
  const multiline = plainText({ max: 10, multiline: true });

  it("trims; missing or blank text is validation.required, text over max is validation.tooLong", () => {
    expect(parseInput(z.object({ v: oneLine }), { v: "  王某  " })).toEqual({ ok: true, data: { v: "王某" } });
    for (const schema of [oneLine, multiline]) {
      expect(keyOf(schema, undefined)).toBe("validation.required");
      expect(keyOf(schema, 42)).toBe("validation.required");
      expect(keyOf(schema, " \n\t ")).toBe("validation.required");
      expect(keyOf(schema, "x".repeat(10))).toBe("ok");
      expect(keyOf(schema, "x".repeat(11))).toBe("validation.tooLong");
    }
  });

  it("markup and control characters are validation.plainText; one-line text refuses line breaks and tabs, multiline text keeps them", () => {
    for (const bad of ["<b>", "a>b", "a\u0000b", "a\u0007b", "a\u007fb"]) {
      expect(keyOf(oneLine, bad)).toBe("validation.plainText");
      expect(keyOf(multiline, bad)).toBe("validation.plainText");
    }
    for (const broken of ["a\nb", "a\r\nb", "a\tb"]) {
      expect(keyOf(oneLine, broken)).toBe("validation.plainText");
      expect(keyOf(multiline, broken)).toBe("ok");
    }
  });

  it("markup: true lets < and > through and still refuses control characters", () => {
    const entropy = plainText({ max: 10, markup: true });
    expect(keyOf(entropy, "a<b>c")).toBe("ok");
    expect(keyOf(entropy, "a\nb")).toBe("validation.plainText");
  });
});

describe("each caller keeps its kind of text", () => {
  it("names and titles typed on one line refuse line breaks (proxy, platform); reasons and case text keep them", () => {
    expect(keyOf(proxySchema.shape.proxyName, "张\n三")).toBe("validation.plainText");
    expect(keyOf(platformSchema.shape.name, "平台\n甲")).toBe("validation.plainText");
    expect(keyOf(procedureReasonSchema.shape.reason, "第一段\n第二段")).toBe("ok");
    expect(keyOf(createCaseSchema.shape.enforcementBasis, "判决书\r\n第二项")).toBe("ok");
  });

  it("B8: a lot file's title may hold line breaks but neither markup nor other control characters", () => {
    expect(keyOf(lotFileSchema.shape.title, "现场照片\n东侧")).toBe("ok");
    expect(keyOf(lotFileSchema.shape.title, "<img>")).toBe("validation.plainText");
    expect(keyOf(lotFileSchema.shape.title, "照片\u0000")).toBe("validation.plainText");
  });

  it("P6: entropy is normalised to NFC, may hold < and >, and refuses line breaks", () => {
    const decomposed = "e\u0301";
    expect(parseInput(entropySchema, { value: ` ${decomposed} ` })).toEqual({ ok: true, data: { value: "\u00e9" } });
    expect(keyOf(entropySchema.shape.value, "1<2>3")).toBe("ok");
    expect(keyOf(entropySchema.shape.value, "1\n2")).toBe("validation.plainText");
    expect(keyOf(entropySchema.shape.value, "")).toBe("validation.required");
  });
});

describe("parseOrThrow", () => {
  const schema = z.object({ name: plainText({ max: 5 }), note: plainText({ max: 5 }).optional() });

  it("returns the parsed data", () => {
    expect(parseOrThrow(schema, { name: " 甲 " })).toEqual({ name: "甲" });
  });

  it("refuses with VALIDATION_FAILED naming each bad field; missing input is an empty object", () => {
    const refusal = (input: unknown) => {
      try {
        parseOrThrow(schema, input);
      } catch (error) {
        return error;
      }
      throw new Error("not refused");
    };
    const bad = refusal({ name: "<x>", note: "123456" });
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).code).toBe("VALIDATION_FAILED");
    expect((bad as AppError).fields).toEqual({ name: "validation.plainText", note: "validation.tooLong" });
    expect((refusal(undefined) as AppError).fields).toEqual({ name: "validation.required" });
  });
});

describe("a form reports every error at once, in the order of its fields", () => {
  const ID = "11010519800101001" + residentIdCheckChar("11010519800101001");
  const WRONG_CHECK_DIGIT = "11010519800101001" + (residentIdCheckChar("11010519800101001") === "1" ? "2" : "1");
  const registration = (over: Record<string, string> = {}) => {
    const form = new FormData();
    // The order of the page's fields.
    const fields = { kind: "person", legalName: "张伟", identityNumber: ID, phone: "13800000000", username: "zhangwei2026", password: "a-long-passphrase-2026", ...over };
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return form;
  };

  it("lists format errors in the form's order, not the schema's", () => {
    const parsed = parseInput(registerBidderSchema, registration({ legalName: "", phone: "", username: "", password: "" }));
    expect(parsed.ok).toBe(false);
    expect(Object.keys(parsed.ok ? {} : parsed.fields)).toEqual(["legalName", "phone", "username", "password"]);
  });

  it("checks the rules over two fields whenever those two are valid, whatever else failed", () => {
    const parsed = parseInput(registerBidderSchema, registration({ legalName: "", identityNumber: WRONG_CHECK_DIGIT, phone: "12", password: "zhangwei2026-passphrase" }));
    expect(parsed.ok ? {} : parsed.fields).toEqual({
      legalName: "validation.required",
      identityNumber: "validation.residentId.CHECK_DIGIT",
      phone: "validation.phone",
      password: "validation.passwordHasUsername",
    });
  });

  it("leaves a rule out while a field it reads is itself wrong", () => {
    const parsed = parseInput(registerBidderSchema, registration({ kind: "robot", identityNumber: WRONG_CHECK_DIGIT }));
    expect(parsed.ok ? {} : parsed.fields).toEqual({ kind: "validation.kind" });
  });

  it("inFormOrder puts fields the form did not send after the others, and page-level messages last", () => {
    expect(Object.keys(inFormOrder({ _form: "x", declare: "y", title: "z", amount: "w" }, ["amount", "title"]))).toEqual(["amount", "title", "declare", "_form"]);
  });

  it("validFields keeps what is valid on its own, for the rules to judge beside the errors", () => {
    const schema = z.object({ title: plainText({ max: 10 }), amount: fenField, note: plainText({ max: 10 }) });
    expect(validFields(schema, { title: " 标题 ", amount: "x", note: "" })).toEqual({ title: "标题" });
  });
});

import { describe, it, expect } from "vitest";
import { AppError, ERRORS, errorMessage, isAppError, isErrorCode, toErrorBody, type ErrorCode } from "../../core/errors.ts";

const expectedStatus: Record<string, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_DISABLED: 403,
  SESSION_EXPIRED: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_SCOPE_MISSING: 403,
  USERNAME_TAKEN: 409,
  ORIGIN_REJECTED: 403,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SERVICE_UNAVAILABLE: 503,
  PAYMENT_DECLINED: 402,
  GATEWAY_UNAVAILABLE: 503,
  WEBHOOK_SIGNATURE_INVALID: 400,
  INTERNAL: 500,
};

describe("ERRORS table", () => {
  it.each(Object.entries(expectedStatus))("maps %s to HTTP %i", (code, status) => {
    expect(isErrorCode(code)).toBe(true);
    expect(ERRORS[code as ErrorCode].status).toBe(status);
  });

  it("has a non-empty Chinese and English message for every code", () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(spec.zh.trim(), code).not.toBe("");
      expect(spec.en.trim(), code).not.toBe("");
      expect(spec.zh, code).toMatch(/\p{Script=Han}/u);
    }
  });
});

describe("AppError", () => {
  it("carries the code, the status from the table, fields and details", () => {
    const err = new AppError("USERNAME_TAKEN", { fields: { username: "validation.usernameTaken" }, details: { tried: "alice" } });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("AppError");
    expect(err.code).toBe("USERNAME_TAKEN");
    expect(err.status).toBe(409);
    expect(err.fields).toEqual({ username: "validation.usernameTaken" });
    expect(err.details).toEqual({ tried: "alice" });
    expect(err.message).toBe(ERRORS.USERNAME_TAKEN.en);
  });

  it("keeps the cause for logging", () => {
    const cause = new Error("duplicate key value violates unique constraint");
    expect(new AppError("CONFLICT", { cause }).cause).toBe(cause);
  });

  it("works without options", () => {
    const err = new AppError("NOT_FOUND");
    expect(err.status).toBe(404);
    expect(err.fields).toBeUndefined();
    expect(err.details).toBeUndefined();
    expect(err.cause).toBeUndefined();
  });
});

describe("isAppError", () => {
  it("recognizes AppError and nothing else", () => {
    expect(isAppError(new AppError("FORBIDDEN"))).toBe(true);
    expect(isAppError(new Error("x"))).toBe(false);
    expect(isAppError({ code: "FORBIDDEN", status: 403 })).toBe(false);
    expect(isAppError(null)).toBe(false);
  });
});

describe("isErrorCode", () => {
  it("refuses unknown codes and inherited object keys", () => {
    expect(isErrorCode("NOPE")).toBe(false);
    expect(isErrorCode("toString")).toBe(false);
    expect(isErrorCode(404)).toBe(false);
  });
});

describe("errorMessage", () => {
  it("returns the message in the requested language", () => {
    expect(errorMessage("INVALID_CREDENTIALS", "zh-CN")).toBe("用户名或密码不正确。");
    expect(errorMessage("INVALID_CREDENTIALS", "en")).toBe("The username or password is not correct.");
  });
});

describe("toErrorBody", () => {
  it("renders an AppError with its code, localized message and fields", () => {
    const err = new AppError("VALIDATION_FAILED", { fields: { phone: "validation.phone" }, details: { secret: 1 } });
    expect(toErrorBody(err, "zh-CN")).toEqual({
      error: { code: "VALIDATION_FAILED", message: ERRORS.VALIDATION_FAILED.zh, fields: { phone: "validation.phone" } },
    });
  });

  it("omits fields when there are none and never includes details", () => {
    const body = toErrorBody(new AppError("RATE_LIMITED", { details: { ip: "10.0.0.1" } }), "en");
    expect(body).toEqual({ error: { code: "RATE_LIMITED", message: ERRORS.RATE_LIMITED.en } });
    expect("fields" in body.error).toBe(false);
  });

  it("turns unknown errors into INTERNAL without leaking their message", () => {
    for (const thrown of [new Error("password authentication failed for user pg"), "boom", undefined]) {
      const body = toErrorBody(thrown, "en");
      expect(body).toEqual({ error: { code: "INTERNAL", message: ERRORS.INTERNAL.en } });
      expect(JSON.stringify(body)).not.toContain("pg");
    }
  });

  it("serializes to JSON unchanged", () => {
    const body = toErrorBody(new AppError("USERNAME_TAKEN", { fields: { username: "validation.usernameTaken" } }), "zh-CN");
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });
});

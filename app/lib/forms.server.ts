import { data } from "react-router";
import type { z } from "zod";
import { AppError, isAppError } from "../../core/errors.ts";
import { parseYuan } from "../../core/money.ts";
import { inFormOrder, parseInput, validFields, type FieldErrors } from "../../core/validation.ts";
import { asPageError } from "./http.server.ts";
import { fromShanghaiInput } from "./format.ts";
import { uuidParam } from "./params.server.ts";

/** What a form action returns when it refuses: which form, field errors, page-level messages and what was typed. */
export interface FormFailure {
  form: string;
  fields: FieldErrors;
  messages: string[];
  values: Record<string, string>;
}

/** A refusal of a form; its field errors in the form's order (`values` keeps the order the fields were sent in). */
export function formFailure(form: string, values: Record<string, string>, fields: FieldErrors, messages: string[], status: number) {
  return data<FormFailure>({ form, fields: inFormOrder(fields, Object.keys(values)), messages, values }, { status });
}

/** What an HTML form sends: urlencoded fields, or multipart when it carries a file. */
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * The body of a page's form (every page action reads its form through this). Any other content type is
 * 415 UNSUPPORTED_MEDIA_TYPE; a body that cannot be parsed as its type says (a broken multipart, a missing
 * boundary, a body cut at its size limit) is 400 VALIDATION_FAILED. Both are thrown as page errors, so the
 * visitor gets the error page in their language, not a 500 (ASVS V13.1.5; ADR 018).
 */
export async function readForm(request: Request): Promise<FormData> {
  if (!FORM_TYPES.test(request.headers.get("content-type") ?? "")) throw asPageError(new AppError("UNSUPPORTED_MEDIA_TYPE"));
  try {
    return await request.formData();
  } catch {
    throw asPageError(new AppError("VALIDATION_FAILED"));
  }
}

/** The string values of a form (files and oversized text cut), to echo back so people correct rather than retype. */
export function formValues(form: FormData, max = 5000): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string" && key.length < 64) out[key] = value.slice(0, max);
  return out;
}

export interface FormConversions {
  /** Fields typed in yuan ("1,234.56"): converted to integer fen strings; "" stays "" for the schema to judge. */
  yuan?: readonly string[];
  /** Fields typed as Asia/Shanghai dates or date-times. */
  dates?: readonly string[];
  /** Date-only fields meaning the end of that day. */
  endOfDay?: readonly string[];
  /** Amount and date fields that may be left empty; the others get "required" when empty. */
  optional?: readonly string[];
}

/**
 * Parses a form for a use case's schema: yuan → fen and local dates → instants first, then zod.
 * A malformed amount gets its own message and is never passed on. A refusal names every field at fault, in
 * the form's order, and carries the fields that are valid (`valid`), so that the use case's rules over them
 * can be reported in the same round.
 */
export function parseForm<S extends z.ZodType>(schema: S, values: Record<string, string>, conversions: FormConversions = {}, extra: Record<string, unknown> = {}) {
  const input: Record<string, unknown> = { ...values };
  const conversionErrors: FieldErrors = {};
  const required = (name: string) => !(conversions.optional ?? []).includes(name);
  for (const name of conversions.yuan ?? []) {
    const raw = values[name]?.trim() ?? "";
    if (raw === "") {
      if (required(name)) conversionErrors[name] = "validation.required";
      continue;
    }
    try {
      input[name] = parseYuan(raw).toString();
    } catch {
      conversionErrors[name] = "validation.amountYuan";
      input[name] = "";
    }
  }
  for (const name of conversions.dates ?? []) {
    const raw = values[name]?.trim() ?? "";
    if (raw === "" && required(name)) conversionErrors[name] = "validation.required";
    input[name] = raw === "" ? undefined : fromShanghaiInput(raw, { endOfDay: conversions.endOfDay?.includes(name) ?? false });
  }
  const whole = { ...input, ...extra };
  const parsed = parseInput(schema, whole);
  if (parsed.ok && Object.keys(conversionErrors).length === 0) return parsed;
  const fields = inFormOrder({ ...(parsed.ok ? {} : parsed.fields), ...conversionErrors }, Object.keys(values));
  const valid: Partial<z.infer<S>> = validFields(schema, whole);
  for (const name of Object.keys(conversionErrors)) delete (valid as Record<string, unknown>)[name];
  return { ok: false as const, fields, valid };
}

/**
 * A use case's refusal as a form failure: its field errors (renamed through `fieldMap`; fields the
 * form does not have become page-level messages), or its code's message (on `codeField`'s field when
 * the code is about one field). Not-found and permission refusals without fields become the friendly
 * error page instead.
 */
export function toFailure(
  error: unknown,
  form: string,
  values: Record<string, string>,
  options: { formFields: readonly string[]; fieldMap?: Record<string, string>; codeField?: Partial<Record<string, string>> },
): { failure: FormFailure; status: number } {
  if (!isAppError(error)) throw error;
  if (!error.fields && (error.status === 401 || error.status === 404 || error.code === "FORBIDDEN")) throw asPageError(error);
  const fields: FieldErrors = {};
  const messages: string[] = [];
  if (error.fields) {
    for (const [name, message] of Object.entries(error.fields)) {
      const target = options.fieldMap?.[name] ?? name;
      if (options.formFields.includes(target)) fields[target] ??= message;
      else messages.push(message);
    }
  } else {
    const field = options.codeField?.[error.code];
    if (field) fields[field] = `errors.${error.code}`;
    else messages.push(`errors.${error.code}`);
  }
  return { failure: { form, fields: inFormOrder(fields, Object.keys(values)), messages, values }, status: error.status };
}

/**
 * Every error of a form in one round: its format errors (`formatFields`, from parseForm) with the refusal the use
 * case's rules give over its valid fields (`rules`, null when they pass). A field's format error comes first; the
 * rules' page-level messages come along; the fields in the form's order.
 */
export function withRuleErrors(
  form: string,
  values: Record<string, string>,
  formatFields: FieldErrors,
  rules: unknown,
  options: Parameters<typeof toFailure>[3],
): FormFailure {
  const ruled = rules ? toFailure(rules, form, values, options).failure : { fields: {}, messages: [] };
  return { form, fields: inFormOrder({ ...ruled.fields, ...formatFields }, Object.keys(values)), messages: ruled.messages, values };
}

export function refusal(...args: Parameters<typeof toFailure>) {
  const { failure, status } = toFailure(...args);
  return data<FormFailure>(failure, { status });
}

/** A page's id parameter: anything but a UUID is the friendly not-found page. */
export function pageId(value: string | undefined): string {
  try {
    return uuidParam(value);
  } catch (error) {
    throw asPageError(error);
  }
}

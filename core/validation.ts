import { z } from "zod";
import { AppError } from "./errors.ts";

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; data: T } | { ok: false; fields: FieldErrors };

/**
 * Parses untrusted input with a zod schema and returns one message key per field, the first
 * that failed. Form values that are not strings (a file sent in a text field) fail as the wrong type.
 * A form's errors come in the order of its fields (FormData keeps the document's order).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: FormData | Record<string, unknown>): Parsed<z.infer<S>> {
  const raw = input instanceof FormData ? Object.fromEntries(input.entries()) : input;
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "_form";
    // Our schemas set message keys ("validation.required"); zod's own messages become a generic key.
    fields[key] ??= issue.message.startsWith("validation.") ? issue.message : "validation.invalid";
  }
  return { ok: false, fields: input instanceof FormData ? inFormOrder(fields, [...input.keys()]) : fields };
}

/**
 * Field errors in the order of the form's fields (`order`: the names as the form sends them, in the document's
 * order); fields the form did not send (an unticked checkbox) keep their place after them, page-level last.
 */
export function inFormOrder(fields: FieldErrors, order: readonly string[]): FieldErrors {
  const rank = (name: string) => (name === "_form" ? Infinity : order.includes(name) ? order.indexOf(name) : order.length);
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * The fields of an object schema that are valid on their own, each parsed by its own schema: what rules over
 * several fields can still be checked when other fields failed, so that a form reports every error in one round.
 */
export function validFields<S extends z.ZodType>(schema: S, input: Record<string, unknown>): Partial<z.infer<S>> {
  if (!(schema instanceof z.ZodObject)) return {};
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const parsed = field.safeParse(input[name]);
    if (parsed.success) out[name] = parsed.data;
  }
  return out as Partial<z.infer<S>>;
}

/**
 * For a rule over several fields of an object schema (`superRefine`): it runs once the fields it reads are valid,
 * whatever other fields failed (zod would skip it), so that a form reports every error in one round.
 */
export function onceValid(...names: string[]) {
  return { when: (payload: { issues: readonly { path?: readonly PropertyKey[] }[] }) => !payload.issues.some((i) => names.includes(String(i.path?.[0]))) };
}

/** Parses input at a use case's boundary: a refusal is VALIDATION_FAILED naming each field, and nothing is written. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = parseInput(schema, (input ?? {}) as Record<string, unknown>);
  if (!parsed.ok) throw new AppError("VALIDATION_FAILED", { fields: parsed.fields });
  return parsed.data;
}

/** Line breaks and tabs: what multi-line text may hold of the control characters. */
const LINE_BREAKS = /[\r\n\t]/g;

/**
 * Text a person types into a form: trimmed, not empty, at most `max` characters, no markup (`<`, `>`) and
 * no control characters. One-line text (a name, a title) refuses line breaks too; `multiline` text (a
 * reason, grounds, a note typed in a textarea) may hold line breaks and tabs. `markup: true` lets `<` and
 * `>` through, for values that are never shown as anything but escaped text (a draw's entropy).
 *
 * Message keys: `validation.required` — missing or only blanks; `validation.tooLong` — over `max`;
 * `validation.plainText` — holds a character this text may not (markup or a control character).
 */
export function plainText({ max, multiline = false, markup = false }: { max: number; multiline?: boolean; markup?: boolean }) {
  const refused = markup ? /\p{Cc}/u : /[<>\p{Cc}]/u;
  return z
    .string({ error: "validation.required" })
    .trim()
    .min(1, "validation.required")
    .max(max, "validation.tooLong")
    .refine((s) => !refused.test(multiline ? s.replace(LINE_BREAKS, "") : s), "validation.plainText");
}

/**
 * A value typed on one line that is not prose, and so may hold `<` or `>` but is still looked up or stored
 * (a username at sign-in): trimmed, not empty, at most `max` characters, and no control character — a NUL
 * never reaches the database. Same message keys as `plainText`.
 */
export function lineText({ max }: { max: number }) {
  return z
    .string({ error: "validation.required" })
    .trim()
    .min(1, "validation.required")
    .max(max, "validation.tooLong")
    .refine((s) => !/\p{Cc}/u.test(s), "validation.plainText");
}

/**
 * Integer fen from a form or JSON: decimal digits only (no "0x10", "1e3", "12.5", booleans),
 * more than zero and below 10^14 fen (a trillion yuan).
 */
export const fenField = z
  .union([z.string().trim().regex(/^\d{1,15}$/, "validation.amount"), z.number().int("validation.amount").nonnegative("validation.amount")], {
    error: "validation.amount",
  })
  .transform((v) => BigInt(v))
  .refine((v) => v > 0n && v < 10n ** 14n, "validation.amount");

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An instant as ISO 8601. Without an offset (what `<input type="datetime-local">` sends) it is
 * Beijing time. A date that does not exist (30 February) is refused, not rolled over.
 */
export const instantField = z.union([z.date(), z.string({ error: "validation.date" })], { error: "validation.date" }).transform((value, ctx) => {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) ctx.addIssue({ code: "custom", message: "validation.date" });
    return value;
  }
  const m = ISO_INSTANT.exec(value.trim());
  if (!m) {
    ctx.addIssue({ code: "custom", message: "validation.date" });
    return z.NEVER;
  }
  const [, y, mo, d, h, mi] = m.map(Number) as number[];
  const calendar = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!));
  if (calendar.getUTCFullYear() !== y || calendar.getUTCMonth() !== mo! - 1 || calendar.getUTCDate() !== d || h! > 23 || mi! > 59) {
    ctx.addIssue({ code: "custom", message: "validation.date" });
    return z.NEVER;
  }
  return new Date(m[8] ? value.trim() : `${value.trim()}+08:00`);
});

/** An HTML checkbox: present ("on") when ticked, absent when not; JSON clients may send booleans. */
export const checkboxField = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.literal(""), z.boolean()], { error: "validation.invalid" })
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

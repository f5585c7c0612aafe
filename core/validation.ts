import type { z } from "zod";

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; data: T } | { ok: false; fields: FieldErrors };

/**
 * Parses untrusted input with a zod schema and returns one message key per field, the first
 * that failed. Form values that are not strings (a file sent in a text field) fail as the wrong type.
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
  return { ok: false, fields };
}

/** The constraint name when `error` (or its cause, as drizzle wraps driver errors) is a unique violation. */
export function uniqueViolation(error: unknown): string | null {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: string; constraint_name?: string };
    if (pg.code === "23505") return pg.constraint_name ?? "";
  }
  return null;
}

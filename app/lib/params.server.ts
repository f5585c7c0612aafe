import { z } from "zod";
import { AppError } from "../../core/errors.ts";

/** A route id must be a UUID; anything else is simply not found (never a database error). */
export function uuidParam(value: string | undefined): string {
  const parsed = z.uuid().safeParse(value);
  if (!parsed.success) throw new AppError("NOT_FOUND");
  return parsed.data;
}

import { AppError } from "../../core/errors.ts";

/** The AppError a use case refuses with; fails the test when it succeeds or throws anything else. */
export async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** The stable code of a refusal. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  return (await refusal(p)).code;
}

/** The field errors of a refusal ({} when it names no field). */
export async function fieldsOf(p: Promise<unknown>): Promise<Record<string, string>> {
  return (await refusal(p)).fields ?? {};
}

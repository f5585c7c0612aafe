// Form handling shared by the appraisal pages: the asset page's four "start a procedure" forms, whose
// fields carry a prefix each so that every input on the page has its own id (the error summary links to it).
import { redirect, type RouterContextProvider } from "react-router";
import { directedInquirySchema, negotiationSchema, onlineInquirySchema, startPricing, startProcedureSchema } from "../../appraisal/index.ts";
import type { SessionUser } from "../../identity/index.ts";
import type { FieldErrors } from "../../core/validation.ts";
import { services } from "./http.server.ts";
import { formFailure, parseForm, refusal } from "./forms.server.ts";

/** The start forms: A3 negotiation, A4 directed inquiry, A5 online inquiry, A11 appraisal. */
export const START_FORMS = ["negotiation", "directed", "online", "appraisal"] as const;
type StartForm = (typeof START_FORMS)[number];

const PREFIX: Record<StartForm, string> = { negotiation: "n_", directed: "d_", online: "o_", appraisal: "a_" };
const METHOD = { negotiation: "negotiation", directed: "directed_inquiry", online: "online_inquiry", appraisal: "appraisal" } as const satisfies Record<StartForm, string>;
const FIELDS: Record<StartForm, readonly string[]> = {
  negotiation: ["basis", "dueAt"],
  directed: ["addresseeKind", "addressee", "priceKind", "dueAt", "basis"],
  online: ["ground", "basis"],
  appraisal: ["basisKind", "basis"],
};

/** The form's own fields without their prefix. */
export function unprefixed(values: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/** Field errors named as the form names its fields. */
export function prefixed(fields: FieldErrors, prefix: string): FieldErrors {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k === "_form" ? k : `${prefix}${k}`, v]));
}

/** Starts the procedure the form asks for; on success, to the procedure's page. */
export async function startProcedureAction(context: Readonly<RouterContextProvider>, user: SessionUser, assetId: string, values: Record<string, string>) {
  const form = values.intent as StartForm;
  const prefix = PREFIX[form];
  const own = unprefixed(values, prefix);
  const { db, clock } = services(context);
  const fail = (fields: FieldErrors) => formFailure(form, values, prefixed(fields, prefix), [], 400);
  const options = { formFields: FIELDS[form].map((f) => prefix + f), fieldMap: Object.fromEntries(FIELDS[form].map((f) => [f, prefix + f])) };
  // The form's fields as the method's schema reads them (local dates and times to instants); then the one use
  // case the JSON API runs too, with the method's own authorization.
  const parsed =
    form === "negotiation"
      ? parseForm(negotiationSchema, own, { dates: ["dueAt"] })
      : form === "directed"
        ? parseForm(directedInquirySchema, own, { dates: ["dueAt"] })
        : form === "online"
          ? parseForm(onlineInquirySchema, own)
          : parseForm(startProcedureSchema, { ...own, method: "appraisal" });
  if (!parsed.ok) return fail(parsed.fields);
  let procedureId: string;
  try {
    procedureId = (await startPricing(db, clock, user, assetId, { ...parsed.data, method: METHOD[form] })).id;
  } catch (error) {
    return refusal(error, form, values, options);
  }
  return redirect(`/court/procedures/${procedureId}?done=started`);
}

/**
 * A form on one row of a page's list (a report, an objection, a procedure) whose one required text is the
 * field `field`: empty is "required" there, and the use case's refusal of its input `key` lands there too.
 * Returns the failure to show, or null once `run` took the (trimmed) text.
 */
export async function rowTextForm(form: string, values: Record<string, string>, field: string, key: string, run: (text: string) => Promise<unknown>) {
  const text = values[field]?.trim() ?? "";
  if (text === "") return formFailure(form, values, { [field]: "validation.required" }, [], 400);
  try {
    await run(text);
  } catch (error) {
    return refusal(error, form, values, { formFields: [field], fieldMap: { [key]: field } });
  }
  return null;
}

/** The message key of the notice a page shows after a redirect with `?done=<key of notices>`, or null. */
export function doneNotice<N extends Record<string, string>>(request: Request, notices: N): N[keyof N] | null {
  const done = new URL(request.url).searchParams.get("done");
  return done !== null && Object.hasOwn(notices, done) ? (notices[done] as N[keyof N]) : null;
}

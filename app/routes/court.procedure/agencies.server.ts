// Choosing the agency (A13): the parties' agreed ranking or the verifiable draw (P6), and the court's record
// that an overdue agency returned the case materials (A16).
import { agreeAgencies, drawAndCommission, openDraw, openDrawSchema, procedureExtras, recordMaterialsReturned } from "../../../appraisal/index.ts";
import { AppError } from "../../../core/errors.ts";
import { formFailure, parseForm, refusal } from "../../lib/forms.server.ts";
import { back, ownCommission, type StepHandler } from "./step.server.ts";

const RANKS = ["rank1", "rank2", "rank3"] as const;

/** A13: the three agencies the parties agreed on, in their order. */
export const agree: StepHandler = async (step) => {
  const { db, clock, user, procedureId, values } = step;
  const fields: Record<string, string> = {};
  for (const rank of RANKS) if (!values[rank]) fields[rank] = "validation.required";
  if (Object.keys(fields).length > 0) return formFailure("agree", values, fields, [], 400);
  try {
    await agreeAgencies(db, clock, user, procedureId, [values.rank1!, values.rank2!, values.rank3!]);
  } catch (error) {
    return refusal(error, "agree", values, { formFields: ["rank1"], fieldMap: { agencyIds: "rank1" } });
  }
  return back(step, "agreed");
};

/** A13, P6: the draw is opened on a sub-list, with the cut-off for the parties' entropy. */
export const openDrawStep: StepHandler = async (step) => {
  const { db, clock, drawSeedKeys, user, procedureId, values } = step;
  const parsed = parseForm(openDrawSchema, values, { dates: ["entropyCutoffAt"] });
  if (!parsed.ok) return formFailure("draw", values, parsed.fields, [], 400);
  try {
    await openDraw(db, clock, drawSeedKeys, user, procedureId, parsed.data);
  } catch (error) {
    return refusal(error, "draw", values, { formFields: ["regionScope", "entropyCutoffAt"] });
  }
  return back(step, "drawOpened");
};

/** A13, A14: the draw runs and the first-ranked agency is commissioned in one transaction. */
export const runDraw: StepHandler = async (step) => {
  const extras = await procedureExtras(step.db, step.view);
  if (!extras.draw) throw new AppError("DRAW_NOT_APPLICABLE");
  await drawAndCommission(step.db, step.clock, step.drawSeedKeys, step.user, extras.draw.id);
  return back(step, "drawn");
};

/** A16: the overdue agency returned the case materials. */
export const materials: StepHandler = async (step) => {
  await recordMaterialsReturned(step.db, step.clock, step.user, ownCommission(step));
  return back(step, "materials");
};

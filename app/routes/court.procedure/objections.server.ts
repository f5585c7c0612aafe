// The parties' objections to a report (A20, A21): a technical one forwarded to the agency, the judge's
// decision, and the outcome of a review of that decision. Each form is on one objection's row, so its fields
// carry the objection's id.
import { decideObjection, forwardObjection, recordReviewOutcome } from "../../../appraisal/index.ts";
import { formFailure, refusal } from "../../lib/forms.server.ts";
import { back, ownObjection, type StepHandler } from "./step.server.ts";

/** A21: a technical objection goes to the agency for its explanation. */
export const forward: StepHandler = async (step) => {
  await forwardObjection(step.db, step.clock, step.user, ownObjection(step));
  return back(step, "forwarded");
};

/** A20, A21: the judge's decision on an objection, from those its kind and state allow. */
export const decide: StepHandler = async (step) => {
  const { db, clock, user, values } = step;
  const objectionId = ownObjection(step);
  const decisionField = `decision-${objectionId}`;
  const noteField = `note-${objectionId}`;
  const decision = values[decisionField] ?? "";
  if (decision === "") return formFailure("decide", values, { [decisionField]: "validation.required" }, [], 400);
  try {
    await decideObjection(db, clock, user, objectionId, { decision, note: values[noteField] ?? "" });
  } catch (error) {
    return refusal(error, "decide", values, { formFields: [decisionField, noteField], fieldMap: { decision: decisionField, note: noteField } });
  }
  return back(step, "decided");
};

/** A20: the outcome of a review of an objection's decision. */
export const reviewOutcome: StepHandler = async (step) => {
  const { db, clock, user, values } = step;
  const objectionId = ownObjection(step);
  const outcomeField = `reviewOutcome-${objectionId}`;
  const noteField = `reviewNote-${objectionId}`;
  try {
    await recordReviewOutcome(db, clock, user, objectionId, { outcome: values[outcomeField] ?? "", note: values[noteField] ?? "" });
  } catch (error) {
    return refusal(error, "review-outcome", values, { formFields: [outcomeField, noteField], fieldMap: { outcome: outcomeField, note: noteField } });
  }
  return back(step, "reviewDecided");
};

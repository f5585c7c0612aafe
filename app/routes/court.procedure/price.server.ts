// Fixing the reference price: from the delivered appraisal report (A23) or the mean of the platforms' results
// (A10); a directed inquiry's answer fixes it when recorded (A4, A22); an expired price is re-issued by the same
// agency, or by a new online inquiry (A17).
import { askCorrections, askReissue, fixInquiryPrice, fixReferencePrice, recordDirectedAnswer, reportInputSchema } from "../../../appraisal/index.ts";
import { formFailure, refusal } from "../../lib/forms.server.ts";
import { readReportForm, REPORT_FIELDS } from "../../lib/appraisal-portal.server.ts";
import { back, type StepHandler } from "./step.server.ts";

/** A10, A23: the price is fixed; an online inquiry without enough valid results fails instead. */
export const fix: StepHandler = async (step) => {
  const { db, clock, user, procedureId } = step;
  if (step.view.procedure.method === "online_inquiry") {
    const result = await fixInquiryPrice(db, clock, user, procedureId);
    return back(step, result.kind === "priced" ? "priced" : "failed");
  }
  await fixReferencePrice(db, clock, user, procedureId, {});
  return back(step, "priced");
};

/** A17: the price ran out before the first auction was announced; the same agency re-issues, or the platforms are asked again. */
export const reissue: StepHandler = async (step) => {
  const asked = await askReissue(step.db, step.clock, step.user, step.procedureId);
  return asked.procedureId === step.procedureId ? back(step, "reissue") : back(step, "inquiryReissued", asked.procedureId);
};

/** A9: the platforms whose reports were marked in error are asked to correct them. */
export const askCorrectionsStep: StepHandler = async (step) => {
  await askCorrections(step.db, step.clock, step.user, step.procedureId);
  return back(step, "corrections");
};

/** The directed inquiry's answer form, whatever the request's size: an upload over the limit is refused unread. */
export const answerTooLarge = () => formFailure("answer", {}, { file: "file.error.tooLarge.document" }, [], 413);

/** A4: the addressee's answer, with its letter as a PDF, recorded by the court. */
export const answer: StepHandler = async (step) => {
  const read = await readReportForm(reportInputSchema, step.form, step.values, "answer", step.clock.now());
  if (!read.ok) return read.failure;
  try {
    await recordDirectedAnswer(step.db, step.clock, step.user, step.procedureId, read.input);
  } catch (error) {
    return refusal(error, "answer", step.values, { formFields: REPORT_FIELDS });
  }
  return back(step, "answer");
};

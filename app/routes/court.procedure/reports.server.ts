// The reports in the court's hands: delivered to the parties (A19) or served by posting, a defect marked in an
// agency's report and the ways on when it goes unanswered (A18), an error marked in a platform's report (A9). Each form is on one report's row, so its
// fields carry the report's id.
import { deliverReport, extendDefectDeadline, markReportDefect, markReportError, passDefectOn, postingSchema, recordReportPosted } from "../../../appraisal/index.ts";
import { formFailure, parseForm, refusal } from "../../lib/forms.server.ts";
import { rowTextForm } from "../../lib/appraisal-forms.server.ts";
import { back, ownReport, type StepHandler } from "./step.server.ts";

/** A19: the report is delivered to the parties. */
export const deliver: StepHandler = async (step) => {
  await deliverReport(step.db, step.clock, step.user, ownReport(step));
  return back(step, "delivered");
};

/** A19: the report could not be served; it was posted on 中国执行信息公开网 (now, or at the time given). */
export const post: StepHandler = async (step) => {
  const { db, clock, user, values } = step;
  const reportId = ownReport(step);
  const field = `postedAt-${reportId}`;
  const parsed = parseForm(postingSchema, { postedAt: values[field] ?? "" }, { dates: ["postedAt"], optional: ["postedAt"] });
  if (!parsed.ok) return formFailure("post", values, { [field]: parsed.fields.postedAt ?? "validation.invalid" }, [], 400);
  try {
    await recordReportPosted(db, clock, user, reportId, parsed.data);
  } catch (error) {
    return refusal(error, "post", values, { formFields: [field], fieldMap: { postedAt: field } });
  }
  return back(step, "posted");
};

/** A18: a defect of facts, scope or signatory in an agency's report. */
export const markDefect: StepHandler = async (step) => {
  const { db, clock, user, values } = step;
  const reportId = ownReport(step);
  const kindField = `defectKind-${reportId}`;
  const noteField = `defectNote-${reportId}`;
  try {
    await markReportDefect(db, clock, user, reportId, { kind: values[kindField] ?? "", note: values[noteField] ?? "" });
  } catch (error) {
    return refusal(error, "mark-defect", values, { formFields: [kindField, noteField], fieldMap: { kind: kindField, note: noteField } });
  }
  return back(step, "defectMarked");
};

/** A18: the agency let the defect's deadline pass; the judge gives it a new one, once. */
export const extendDefect: StepHandler = async (step) => {
  await extendDefectDeadline(step.db, step.clock, step.user, ownReport(step));
  return back(step, "defectExtended");
};

/** A18, A16: the agency let the defect's deadline pass; the work goes to the next-ranked agency. */
export const passDefect: StepHandler = async (step) => {
  await passDefectOn(step.db, step.clock, step.user, ownReport(step));
  return back(step, "defectPassedOn");
};

/** A9: an error in a platform's report, with the note the platform corrects it by. */
export const markError: StepHandler = async (step) => {
  const { db, clock, user, values } = step;
  const reportId = ownReport(step);
  const failed = await rowTextForm("mark-error", values, `errorNote-${reportId}`, "note", (note) => markReportError(db, clock, user, reportId, { note }));
  return failed ?? back(step, "errorMarked");
};

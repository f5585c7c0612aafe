// A24: the judge suspends, resumes or withdraws a running procedure; suspending and withdrawing need a reason.
import { resumeProcedure, suspendProcedure, withdrawProcedure } from "../../../appraisal/index.ts";
import { rowTextForm } from "../../lib/appraisal-forms.server.ts";
import { back, type StepHandler } from "./step.server.ts";

export const suspend: StepHandler = async (step) => {
  const { db, clock, user, procedureId, values } = step;
  const failed = await rowTextForm("suspend", values, "suspendReason", "reason", (reason) => suspendProcedure(db, clock, user, procedureId, { reason }));
  return failed ?? back(step, "suspended");
};

export const withdraw: StepHandler = async (step) => {
  const { db, clock, user, procedureId, values } = step;
  const failed = await rowTextForm("withdraw", values, "withdrawReason", "reason", (reason) => withdrawProcedure(db, clock, user, procedureId, { reason }));
  return failed ?? back(step, "withdrawn");
};

export const resume: StepHandler = async (step) => {
  await resumeProcedure(step.db, step.clock, step.user, step.procedureId);
  return back(step, "resumed");
};

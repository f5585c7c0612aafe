// What every step of the court's procedure page shares: the procedure as its court sees it, the form, the
// ids the form may name, and the redirect back to the page with the notice of what was done.
import { redirect } from "react-router";
import { procedureView, type DrawSeedKeys } from "../../../appraisal/index.ts";
import type { Clock } from "../../../core/clock.ts";
import { AppError } from "../../../core/errors.ts";
import type { Db } from "../../../db/client.ts";
import type { SessionUser } from "../../../identity/index.ts";
import { asPageError } from "../../lib/http.server.ts";
import { pageId, type formFailure } from "../../lib/forms.server.ts";

/** `?done=<key>` after a step: the message the page shows. */
export const NOTICES = {
  started: "appraisal.notice.started",
  agreed: "appraisal.notice.agreed",
  drawOpened: "appraisal.notice.drawOpened",
  drawn: "appraisal.notice.drawn",
  materials: "appraisal.notice.materials",
  delivered: "appraisal.notice.delivered",
  forwarded: "appraisal.notice.forwarded",
  decided: "appraisal.notice.decided",
  priced: "appraisal.notice.priced",
  failed: "appraisal.notice.failed",
  errorMarked: "appraisal.notice.errorMarked",
  corrections: "appraisal.notice.corrections",
  answer: "appraisal.notice.answer",
  suspended: "appraisal.notice.suspended",
  resumed: "appraisal.notice.resumed",
  withdrawn: "appraisal.notice.withdrawn",
  posted: "appraisal.notice.posted",
  defectMarked: "appraisal.notice.defectMarked",
  defectExtended: "appraisal.notice.defectExtended",
  defectPassedOn: "appraisal.notice.defectPassedOn",
  reviewDecided: "appraisal.notice.reviewDecided",
  reissue: "appraisal.notice.reissue",
  inquiryReissued: "appraisal.notice.inquiryReissued",
} as const;
type Notice = keyof typeof NOTICES;

/** The procedure as its court's staff see it; anyone else is refused (403), an unknown id is not found. */
export async function courtView(db: Db, user: SessionUser, procedureId: string) {
  const view = await procedureView(db, user, procedureId);
  if (view.viewer !== "court") throw new AppError("FORBIDDEN");
  return view;
}

/** One step asked by the page's form: who asks, on which procedure (already checked to be their court's), with what. */
export interface Step {
  db: Db;
  clock: Clock;
  /** The draw's seed keys (P6): opening and running a draw need them. */
  drawSeedKeys: DrawSeedKeys;
  user: SessionUser;
  procedureId: string;
  view: Awaited<ReturnType<typeof courtView>>;
  form: FormData;
  /** The form's string values, echoed back on a refusal. */
  values: Record<string, string>;
}

/** A step's answer: back to the page with its notice, or the page again with the form's errors. */
export type StepHandler = (step: Step) => Promise<Response | ReturnType<typeof formFailure>>;

/** Back to the procedure's page, or to the one the step started (a new inquiry, A17). */
export function back(step: Step, done: Notice, procedureId = step.procedureId) {
  return redirect(`/court/procedures/${procedureId}?done=${done}`);
}

/** The id in the form if it is one of this procedure's: any other id is not found, whatever the form says. */
function own(ids: string[], id: string | undefined): string {
  const checked = pageId(id);
  if (!ids.includes(checked)) throw asPageError(new AppError("NOT_FOUND"));
  return checked;
}

export const ownReport = (step: Step) => own(step.view.reports.map((r) => r.id), step.values.reportId);
export const ownObjection = (step: Step) => own(step.view.objections.map((o) => o.id), step.values.objectionId);
export const ownCommission = (step: Step) => own(step.view.commissions.map((c) => c.id), step.values.commissionId);

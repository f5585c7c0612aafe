// The court's page for one reference-price procedure (routes/court.procedure.tsx): its loader's data, as the
// panels in this folder read it. Each panel also gets the action's answer to show its own form's errors.
import type { Route } from "../../routes/+types/court.procedure";

export type ProcedurePage = Route.ComponentProps["loaderData"];
export type PageReport = ProcedurePage["reports"][number];
export type PageObjection = ProcedurePage["objections"][number];

export interface PanelProps {
  page: ProcedurePage;
  actionData: unknown;
}

/** Steps are taken on an open procedure; a suspended one can still be resumed or withdrawn (A24). */
export const isOpen = (page: ProcedurePage) => page.procedure.status === "open";
export const isRunning = (page: ProcedurePage) => isOpen(page) || page.procedure.status === "suspended";

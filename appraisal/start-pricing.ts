// The court starts pricing an asset: one entry for every client (the asset page's forms and the JSON API),
// so both are refused and served alike. Each method runs its own use case with its own authorization:
// negotiation (A3), a directed inquiry (A4) and an online inquiry (A5, which sends its requests to the
// platforms, A7, P7) are the judge's decision; an appraisal (A11) may be started by court staff.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { PROCEDURE_METHODS } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";
import { parseOrThrow, plainText } from "../core/validation.ts";
import type { SessionUser } from "../identity/index.ts";
import { startDirectedInquiry, type DirectedInquiryInput } from "./directed-inquiry.ts";
import { startOnlineInquiry, type OnlineInquiryInput } from "./inquiry.ts";
import { startNegotiation } from "./negotiation.ts";
import { startProcedure, type StartProcedureInput } from "./procedures.ts";

/** What every method needs; the method's own fields are checked by its use case. */
export const startPricingSchema = z.object({
  method: z.enum(PROCEDURE_METHODS, { error: "validation.invalid" }),
  basis: plainText({ max: 1000, multiline: true }),
});

export type StartedPricing = { id: string; method: (typeof PROCEDURE_METHODS)[number]; dueAt?: Date | null } & Record<string, unknown>;

export async function startPricing(db: Db, clock: Clock, user: SessionUser, assetId: string, input: Record<string, unknown>): Promise<StartedPricing> {
  const { method } = parseOrThrow(startPricingSchema, input);
  switch (method) {
    case "negotiation": {
      const started = await startNegotiation(db, clock, user, assetId, input as never);
      return { id: started.procedureId, method, dueAt: started.dueAt };
    }
    case "directed_inquiry": {
      const started = await startDirectedInquiry(db, clock, user, assetId, input as unknown as DirectedInquiryInput);
      return { id: started.procedureId, method, dueAt: started.dueAt, requestId: started.requestId };
    }
    case "online_inquiry": {
      const started = await startOnlineInquiry(db, clock, user, assetId, input as unknown as OnlineInquiryInput);
      return { id: started.procedureId, method, dueAt: started.dueAt, requests: started.requests };
    }
    case "appraisal": {
      const started = await startProcedure(db, clock, user, assetId, input as unknown as StartProcedureInput);
      return { id: started.id, method, lateStart: started.lateStart, startDueAt: started.startDueAt };
    }
  }
}

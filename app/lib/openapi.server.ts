import { z } from "zod";
import { assetSchema, createCaseSchema, holdSchema, lotDraftSchema, lotSearchSchema, partySchema, referencePriceSchema, resumeSchema, revokeSchema, withdrawSchema, rulingSchema, handoverSchema } from "../../auction/index.ts";
import { ERRORS } from "../../core/errors.ts";
import {
  answerSchema,
  decisionSchema,
  defectExplanationSchema,
  defectSchema,
  extensionSchema,
  fixPriceSchema,
  objectionSchema,
  postingSchema,
  procedureReasonSchema,
  reportInputSchema,
  reviewOutcomeSchema,
  startProcedureSchema,
} from "../../appraisal/index.ts";
import { approveDistributionSchema, distributionDraftSchema, recordFeesSchema } from "../../escrow/index.ts";

// The document is generated from the same zod schemas the routes parse with, so it cannot drift.
// Instants travel as ISO strings.
const schema = (s: z.ZodType) =>
  z.toJSONSchema(s, {
    io: "input",
    unrepresentable: "any",
    target: "openapi-3.0",
    override: (ctx) => {
      const type = (ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def.type;
      if (type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
    },
  });

const errorBody = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: {
        code: { type: "string", enum: Object.keys(ERRORS) },
        message: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "string" }, description: "field → message key" },
      },
      required: ["code", "message"],
    },
  },
};

const errors = {
  "400": { description: "VALIDATION_FAILED: malformed JSON or invalid fields", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "401": { description: "UNAUTHENTICATED: missing or revoked token; TOKEN_EXPIRED: the token is past its expiry", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "403": { description: "FORBIDDEN: the token's user lacks the permission or the court; TOKEN_SCOPE_MISSING: the token's scopes do not cover this area for reading (GET) or writing", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "404": { description: "NOT_FOUND", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
};

/** A GET's query parameters from the zod schema its route parses with (each optional, as a query string is). */
function queryParameters(s: z.ZodType) {
  const { properties } = schema(s) as { properties: Record<string, object> };
  return Object.entries(properties).map(([name, parameterSchema]) => ({ name, in: "query", schema: parameterSchema }));
}

const created = { "201": { description: "Created", content: { "application/json": { schema: { type: "object", properties: { id: { type: "string", format: "uuid" } } } } } } };
const body = (name: string) => ({ required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } });
const idParam = (name: string) => ({ name, in: "path", required: true, schema: { type: "string", format: "uuid" } });

/**
 * A valuation report as multipart/form-data: the text fields of the report schema (amount as integer fen
 * in digits, instants as ISO 8601) and the PDF itself in `file` (at most 20 MB, checked by its bytes).
 */
function reportUpload() {
  const fields = schema(reportInputSchema) as { properties?: Record<string, unknown>; required?: string[] };
  return {
    ...fields,
    type: "object",
    properties: { ...fields.properties, file: { type: "string", format: "binary", description: "The signed report, a PDF (application/pdf, .pdf), at most 20 MB" } },
    required: [...(fields.required ?? []), "file"],
  };
}

/** Who the token or session is, and the platform admins' user list and "sign out everywhere". */
function accountPaths() {
  const user = { type: "object", properties: { id: { type: "string", format: "uuid" }, username: { type: "string" }, displayName: { type: "string" }, role: { type: "string" } }, required: ["id", "username", "displayName", "role"] };
  return {
    "/api/v1/me": {
      get: { summary: "The user the token or session belongs to", responses: { "200": { description: "The user", content: { "application/json": { schema: user } } }, "401": errors["401"], "403": errors["403"] } },
    },
    // A party's own tools (bidder or party accounts linked to a case's party by the court): tokens with the cases
    // scopes only, reaching only the cases the account stands for a party in.
    "/api/v1/my/cases": {
      get: {
        summary: "The cases the token's user stands for a party in (links confirmed by the court), with the side it takes (parties)",
        responses: { "200": { description: "{ cases: [{ caseId, caseNumber, courtName, role, partyName, assets, running }] }", content: { "application/json": { schema: { type: "object", properties: { cases: { type: "array", items: { type: "object" } } } } } } }, "401": errors["401"], "403": errors["403"] },
      },
    },
    "/api/v1/my/cases/{caseId}": {
      get: {
        summary: "One of those cases as its party sees it: assets, pricing procedures, delivered reports, objections and the party's own negotiation figures (parties); any other case is NOT_FOUND",
        parameters: [idParam("caseId")],
        responses: { "200": { description: "{ theCase, party, assets, procedures }", content: { "application/json": { schema: { type: "object" } } } }, ...errors },
      },
    },
    "/api/v1/admin/users": {
      get: {
        summary: "Every account with its role, court and live sessions (platform admins)",
        responses: { "200": { description: "{ users: [...] }", content: { "application/json": { schema: { type: "object", properties: { users: { type: "array", items: { type: "object" } } } } } } }, "401": errors["401"], "403": errors["403"] },
      },
    },
    "/api/v1/admin/users/{userId}/revoke-sessions": {
      post: {
        summary: "Sign a user out everywhere (platform admins): every session ends and every API token is revoked; answers how many of each",
        parameters: [idParam("userId")],
        responses: {
          "200": { description: "Revoked", content: { "application/json": { schema: { type: "object", properties: { revoked: { type: "integer" }, tokensRevoked: { type: "integer" } } } } } },
          ...errors,
        },
      },
    },
  };
}

/** The appraisal context's paths (A7–A16, P6). */
function appraisalPaths() {
  const ok = (description: string) => ({ "200": { description, content: { "application/json": { schema: { type: "object" } } } } });
  const upload = { required: true, content: { "multipart/form-data": { schema: { $ref: "#/components/schemas/ReportUpload" } } } };
  const rules422 = (codes: string) => ({ "409": { description: "A state conflict, e.g. REPORT_OVERDUE, PROCEDURE_NOT_OPEN, CONFLICT", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }, "422": { description: codes, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } } });
  return {
    "/api/v1/draws/{drawId}": {
      get: { summary: "P6: a draw as published — the canonical eligible list and its SHA-256, the seed's SHA-256, the parties' entropy; after the draw the seed and the ranking", security: [], parameters: [idParam("drawId")], responses: { ...ok("The draw"), "404": errors["404"] } },
    },
    "/api/v1/draws/{drawId}/verification": {
      get: { summary: "P6: the draw recomputed from its published inputs, with each check (seed vs commitment, list vs hash, result, ranking)", security: [], parameters: [idParam("drawId")], responses: { ...ok("The verdict"), "404": errors["404"] } },
    },
    "/api/v1/commissions": { get: { summary: "The token's agency's commissions, the most pressing deadline first (agency members)", responses: { ...ok("Commissions"), "401": errors["401"], "403": errors["403"] } } },
    "/api/v1/commissions/{commissionId}/accept": {
      post: { summary: "A14, A15: accept the commission; the report is due 30 days later", parameters: [idParam("commissionId")], responses: { ...ok("Accepted: { reportDueAt }"), ...errors, ...rules422("—") } },
    },
    "/api/v1/commissions/{commissionId}/decline": {
      post: { summary: "Decline the commission with a reason; the next-ranked agency is commissioned (A13)", parameters: [idParam("commissionId")], requestBody: body("ReasonInput"), responses: { ...ok("Declined"), ...errors, ...rules422("—") } },
    },
    "/api/v1/commissions/{commissionId}/extensions": {
      post: {
        summary: "A15: an extension, granted when asked ≥5 days before the deadline, at most twice, ≤15 days each",
        parameters: [idParam("commissionId")],
        requestBody: body("ExtensionInput"),
        responses: { "201": { description: "Granted: { reportDueAt }" }, ...errors, ...rules422("EXTENSION_TOO_LATE, EXTENSION_LIMIT or EXTENSION_TOO_LONG (field `days`)") },
      },
    },
    "/api/v1/commissions/{commissionId}/report": {
      post: {
        summary: "A14: upload the appraisal report (multipart/form-data); 400 VALIDATION_FAILED names every bad field, `file` included (file.error.* keys)",
        parameters: [idParam("commissionId")],
        requestBody: upload,
        responses: { "201": { description: "Stored: { id, sha256, deliveryDueAt }" }, ...errors, ...rules422("—") },
      },
    },
    "/api/v1/inquiry-requests": { get: { summary: "The price inquiries sent to the token's platform (inquiry platforms)", responses: { ...ok("Requests"), "401": errors["401"], "403": errors["403"] } } },
    "/api/v1/inquiry-requests/{requestId}/report": {
      post: {
        summary: "A7, A8: the platform's report (multipart/form-data, as an agency's), before its deadline, once",
        parameters: [idParam("requestId")],
        requestBody: upload,
        responses: { "201": { description: "Stored: { reportId, sha256 }" }, ...errors, ...rules422("—") },
      },
    },
    "/api/v1/assets/{assetId}/procedures": {
      get: { summary: "The asset's pricing procedures, newest first (court staff)", parameters: [idParam("assetId")], responses: { ...ok("Procedures"), ...errors } },
      post: {
        summary:
          "Start a pricing procedure, as the asset page does: `negotiation` (A3: dueAt), `directed_inquiry` (A4: addresseeKind, addressee, priceKind, dueAt) and `online_inquiry` (A5: ground; sends the platforms their requests) are the judge's; `appraisal` (A11: basisKind) court staff's. 409 PROCEDURE_RUNNING while another runs; A1's late start is reported",
        parameters: [idParam("assetId")],
        requestBody: body("StartProcedureInput"),
        responses: { "201": { description: "Started: { id, method, … } (appraisal: lateStart, startDueAt; online inquiry: dueAt, requests; directed inquiry: dueAt, requestId; negotiation: dueAt)" }, ...errors, ...rules422("—") },
      },
    },
    "/api/v1/procedures/{procedureId}": {
      get: {
        summary:
          "One procedure: ranking, commissions with extensions, reports (without their content) and objections (court staff); reviewHold: null, { kind: review_window, until } or { kind: review_pending, since } (A20: the price waits)", parameters: [idParam("procedureId")], responses: { ...ok("The procedure"), ...errors } },
    },
  };
}

/** The appraisal remedies (A17–A23, A25): the court's and the agency's side; parties act on the pages only. */
function appraisalRemedyPaths() {
  const json = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
  const refused = (codes: string) => ({ "409": { description: `A state conflict: ${codes}`, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }, "422": { description: "A rule refuses it (see the code)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } } });
  const optionalBody = (name: string) => ({ required: false, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } });
  const post = (summary: string, param: string, responses: Record<string, unknown>, requestBody?: unknown) => ({ post: { summary, parameters: [idParam(param)], ...(requestBody ? { requestBody } : {}), responses: { ...responses, ...errors } } });
  return {
    "/api/v1/reports/{reportId}/delivery": post("A19, A20: record the report delivered to the parties (court staff); objections for 5 days", "reportId", { "200": json("{ deliveredAt, objectionDueAt }"), ...refused("CONFLICT (already delivered), REPORT_UNUSABLE, PROCEDURE_NOT_OPEN") }),
    "/api/v1/reports/{reportId}/posting": post("A19: record the posting on 中国执行信息公开网 (court staff); deemed served 15 days later", "reportId", { "200": json("{ postedAt, deemedServedAt, objectionDueAt }"), ...refused("CONFLICT (already delivered), REPORT_UNUSABLE") }, optionalBody("PostingInput")),
    "/api/v1/reports/{reportId}/defect": post("A18: mark a defect in an agency's report (judges); the agency answers within 3 days", "reportId", { "200": json("{ defectDueAt }"), ...refused("CONFLICT (a defect is open or the report set aside)") }, body("DefectInput")),
    "/api/v1/reports/{reportId}/defect-extension": post("A18: the agency let its 3 days pass unanswered; a new 3-day deadline, once (judges)", "reportId", { "200": json("{ defectDueAt }"), ...refused("DEFECT_NOT_OVERDUE, DEFECT_EXTENDED_ONCE") }),
    "/api/v1/reports/{reportId}/defect-pass-on": post(
      "A18, A16: the agency let its defect deadline pass unanswered; the report is set aside, the agency returns the materials in 3 days and the next-ranked agency is offered the commission (judges)",
      "reportId",
      { "200": json("{ nextCommissionId }: null when the ranking is used up and a new selection is needed"), ...refused("DEFECT_NOT_OVERDUE") },
    ),
    "/api/v1/reports/{reportId}/defect-answer": post("A18: the agency explains a marked defect (late answers are taken and recorded as late)", "reportId", { "200": json("{ late }"), ...refused("CONFLICT (no open defect)") }, body("DefectAnswerInput")),
    "/api/v1/reports/{reportId}/corrected": post(
      "A18: the agency's corrected report (multipart/form-data, as the first one); it replaces the marked report",
      "reportId",
      { "201": json("{ id, sha256, deliveryDueAt, late }"), ...refused("CONFLICT (no open defect)") },
      { required: true, content: { "multipart/form-data": { schema: { $ref: "#/components/schemas/ReportUpload" } } } },
    ),
    "/api/v1/reports/{reportId}/objections": post("A20, A21: a party of the report's case objects to the delivered report within 5 days (parties: cases:write)", "reportId", { "201": json("{ id }"), ...refused("REPORT_NOT_DELIVERED, OBJECTION_LATE, OBJECTION_NOT_ALLOWED, REPORT_UNUSABLE") }, body("ObjectionInput")),
    "/api/v1/objections/{objectionId}/forward": post("A21: forward a technical objection to the report's author (court staff); answer due in 5 days", "objectionId", { "200": json("{ answerDueAt }"), ...refused("CONFLICT") }),
    "/api/v1/objections/{objectionId}/answer": post("A21: the agency or inquiry platform that wrote the report answers a forwarded objection within 5 days", "objectionId", { "200": json("{ answered: true }"), ...refused("CONFLICT, OBJECTION_ANSWER_LATE") }, body("ObjectionAnswerInput")),
    "/api/v1/objections/{objectionId}/decision": post("A20, A21: decide an objection (judges); upheld sets the report aside and reopens the commission", "objectionId", { "200": json("{ reopenedCommissionId }"), ...refused("CONFLICT (field `decision`: not allowed in this state)") }, body("ObjectionDecisionInput")),
    "/api/v1/objections/{objectionId}/review-outcome": post("A20: record the outcome of a party's review of a rejected procedural objection (judges)", "objectionId", { "200": json("{ reopenedCommissionId }"), ...refused("CONFLICT (no review pending)") }, body("ReviewOutcomeInput")),
    "/api/v1/procedures/{procedureId}/reissue": post(
      "A17: after the price expired and before the first auction is announced (judges): an appraisal's agency re-issues its report within 15 days, in the same procedure; for an online inquiry a new inquiry asks every listed platform again, due in 3 days (its procedureId is returned, commissionId is null)",
      "procedureId",
      { "200": json("{ procedureId, reportDueAt, commissionId }"), ...refused("CONFLICT, REISSUE_NOT_NEEDED, PROCEDURE_RUNNING, NO_INQUIRY_PLATFORM") },
    ),
    "/api/v1/procedures/{procedureId}/price": post(
      "A18–A23, A25: fix the reference price from the delivered report (judges); refused while objections, a review or a defect are pending",
      "procedureId",
      { "201": json("{ referencePriceId, amountFen, validFrom, validUntil, saleStartDueAt }"), ...refused("REPORT_NOT_DELIVERED, OBJECTIONS_PENDING, REVIEW_PENDING, REVIEW_WINDOW_OPEN, REPORT_DEFECT_OPEN, REPORT_UNUSABLE") },
      optionalBody("FixPriceInput"),
    ),
  };
}

/** A case's escrow (H3–H8, P14): its ledger, and the judge's distribution with its payouts. */
function escrowPaths() {
  const json = (description: string, properties: Record<string, unknown>) => ({ description, content: { "application/json": { schema: { type: "object", properties } } } });
  const fenString = { type: "string", pattern: "^-?\\d+$", description: "integer fen" };
  const refused = {
    "409": { description: "NOTHING_TO_DISTRIBUTE (the escrow holds nothing), BALANCE_STILL_DUE (a buyer's balance on one of the case's lots is still due), DISTRIBUTION_OUT_OF_DATE (the escrow changed since the draft: draft again)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
    "422": { description: "NOT_A_CASE_APPLICANT: a creditor's partyId is not an applicant of the case", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  };
  return {
    "/api/v1/cases/{caseId}/ledger": {
      get: {
        summary: "H5, H6: the case's accounts (escrow, deposits, payees) with their balances, and every transfer with its time, amount, purpose and the kinds of the accounts debited and credited; no payer is named (court staff)",
        parameters: [idParam("caseId")],
        responses: {
          "200": json("The ledger", {
            caseNumber: { type: "string" },
            accounts: { type: "array", items: { type: "object", properties: { id: { type: "string" }, kind: { type: "string" }, balanceFen: fenString, debitsPendingFen: fenString, creditsPendingFen: fenString } } },
            transfers: { type: "array", items: { type: "object", properties: { at: { type: "string", format: "date-time" }, kind: { type: "string" }, amountFen: fenString, purpose: { type: "string" }, debitKind: { type: "string" }, creditKind: { type: "string" } } } },
          }),
          ...errors,
        },
      },
    },
    "/api/v1/cases/{caseId}/distribution": {
      get: {
        summary: "The escrow's balance (held, incoming, outgoing) and the case's distributions, newest first, each line with its payout's status (court staff)",
        parameters: [idParam("caseId")],
        responses: { "200": json("The distributions", { escrow: { type: "object" }, balanceStillDue: { type: "boolean" }, distributions: { type: "array", items: { type: "object" } } }), ...errors },
      },
      post: {
        summary: "H3, P9: draft the distribution of what the escrow holds (judges): costs first, secured creditors by rank, ordinary creditors pro rata to the fen, any surplus to the debtor; replaces a draft already there",
        parameters: [idParam("caseId")],
        requestBody: body("DistributionDraftInput"),
        responses: { ...created, ...errors, ...refused },
      },
    },
    "/api/v1/cases/{caseId}/distribution/approve": {
      post: {
        summary: "H3, H8: approve the draft (judges): each share moves to its payee and its payout is requested, due within 30 days (payBy); approving again answers the same",
        parameters: [idParam("caseId")],
        requestBody: body("ApproveDistributionInput"),
        responses: { "200": json("The approved distribution", { id: { type: "string" }, status: { type: "string" }, totalFen: fenString, payBy: { type: "string", format: "date-time" } }), ...errors, ...refused },
      },
    },
    "/api/v1/lots/{lotId}/fees": {
      get: {
        summary: "A26: whether the lot's end makes its fees known, the deal price, the valuations the reference price rests on, the appraisal fee's base, the case's applicant creditors and the fees recorded (court staff)",
        parameters: [idParam("lotId")],
        responses: { "200": json("The figures and the fees", { known: { type: "boolean" }, dealFen: { ...fenString, nullable: true }, method: { type: "string", nullable: true }, reports: { type: "array", items: { type: "object" } }, recorded: { type: "array", items: { type: "object" } } }), ...errors },
      },
      post: {
        summary: "A26: record the fees (judges) once the lot sold or its sale-off ended unsold, as the scale or bill gives them: the inquiry fee goes to the platform closest to the deal price (split to the fen on a tie); the appraisal fee is at most the lower of the appraised value and the deal price, or the actual costs when nothing sold; a re-issued report earns 30% of its full fee. Each is booked as advanced by the creditor, borne by the debtor, and repaid first in the distribution (H3). The same figures again answer the same",
        parameters: [idParam("lotId")],
        requestBody: body("RecordFeesInput"),
        responses: {
          "201": json("The fees recorded", { fees: { type: "array", items: { type: "object", properties: { kind: { type: "string" }, basis: { type: "string" }, payeeId: { type: "string" }, payeeName: { type: "string" }, amountFen: fenString, transferId: { type: "string" } } } } }),
          ...errors,
          "409": { description: "FEE_FIGURES_NOT_KNOWN (not sold, and no sale-off ended unsold), NO_FEE_BASIS (not priced by an online inquiry or appraisal on the platform), INQUIRY_FEE_NEEDS_DEAL, FEES_ALREADY_RECORDED (other figures)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
          "422": { description: "FEE_ABOVE_BASE; NOT_A_CASE_APPLICANT (advancedByPartyId)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
        },
      },
    },
  };
}

/** Each operation's stable name, for generated clients: one per method and path (a new one must be named here). */
const OPERATION_IDS: Record<string, string> = {
  "post /api/v1/cases": "createCase",
  "post /api/v1/cases/{caseId}/parties": "addParty",
  "post /api/v1/cases/{caseId}/assets": "addAsset",
  "post /api/v1/assets/{assetId}/reference-prices": "recordReferencePrice",
  "get /api/v1/lots": "listLots",
  "post /api/v1/lots": "createLotDraft",
  "get /api/v1/lots/{lotId}": "getLot",
  "post /api/v1/lots/{lotId}/publish": "publishLot",
  "post /api/v1/lots/{lotId}/hold": "holdLot",
  "post /api/v1/lots/{lotId}/resume": "resumeLot",
  "post /api/v1/lots/{lotId}/withdraw": "withdrawLot",
  "post /api/v1/lots/{lotId}/revoke": "revokeSale",
  "post /api/v1/lots/{lotId}/ruling": "serveRuling",
  "post /api/v1/lots/{lotId}/handover": "handOver",
  "get /api/v1/me": "getMe",
  "get /api/v1/my/cases": "listMyCases",
  "get /api/v1/my/cases/{caseId}": "getMyCase",
  "get /api/v1/admin/users": "listUsers",
  "post /api/v1/admin/users/{userId}/revoke-sessions": "revokeUserSessions",
  "get /api/v1/draws/{drawId}": "getDraw",
  "get /api/v1/draws/{drawId}/verification": "verifyDraw",
  "get /api/v1/commissions": "listCommissions",
  "post /api/v1/commissions/{commissionId}/accept": "acceptCommission",
  "post /api/v1/commissions/{commissionId}/decline": "declineCommission",
  "post /api/v1/commissions/{commissionId}/extensions": "requestExtension",
  "post /api/v1/commissions/{commissionId}/report": "uploadReport",
  "get /api/v1/inquiry-requests": "listInquiryRequests",
  "post /api/v1/inquiry-requests/{requestId}/report": "submitInquiryReport",
  "get /api/v1/assets/{assetId}/procedures": "listProcedures",
  "post /api/v1/assets/{assetId}/procedures": "startProcedure",
  "get /api/v1/procedures/{procedureId}": "getProcedure",
  "post /api/v1/reports/{reportId}/delivery": "recordReportDelivery",
  "post /api/v1/reports/{reportId}/posting": "recordReportPosting",
  "post /api/v1/reports/{reportId}/defect": "markReportDefect",
  "post /api/v1/reports/{reportId}/defect-answer": "answerReportDefect",
  "post /api/v1/reports/{reportId}/defect-extension": "extendDefectDeadline",
  "post /api/v1/reports/{reportId}/defect-pass-on": "passDefectOn",
  "post /api/v1/reports/{reportId}/corrected": "uploadCorrectedReport",
  "post /api/v1/objections/{objectionId}/forward": "forwardObjection",
  "post /api/v1/objections/{objectionId}/answer": "answerObjection",
  "post /api/v1/reports/{reportId}/objections": "fileObjection",
  "post /api/v1/objections/{objectionId}/decision": "decideObjection",
  "post /api/v1/objections/{objectionId}/review-outcome": "recordReviewOutcome",
  "post /api/v1/procedures/{procedureId}/reissue": "askReissue",
  "post /api/v1/procedures/{procedureId}/price": "fixReferencePrice",
  "get /api/v1/cases/{caseId}/ledger": "getCaseLedger",
  "get /api/v1/cases/{caseId}/distribution": "getDistribution",
  "post /api/v1/cases/{caseId}/distribution": "draftDistribution",
  "post /api/v1/cases/{caseId}/distribution/approve": "approveDistribution",
  "get /api/v1/lots/{lotId}/fees": "getLotFees",
  "post /api/v1/lots/{lotId}/fees": "recordLotFees",
};

/** The paths with each operation's `operationId` from OPERATION_IDS (one missing there stays without: the test names it). */
function withOperationIds<P extends Record<string, Record<string, object>>>(paths: P): P {
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const id = OPERATION_IDS[`${method} ${path}`];
      if (id) Object.assign(operation, { operationId: id });
    }
  }
  return paths;
}

export function openApiDocument() {
  return {
    openapi: "3.0.3",
    info: {
      title: "Court Judicial Auction Platform API",
      version: "1",
      description:
        "For court case-management systems, appraisal agencies, inquiry platforms and the parties' own tools. Amounts are integer fen, sent and returned as decimal strings. Instants are ISO 8601 UTC. Authenticate with `Authorization: Bearer <token>` (tokens are made on the account page and act with their user's permissions, narrowed to their scopes: cases, lots, appraisal or admin, each read or write; they expire after 30 to 365 days).",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        Error: errorBody,
        CaseInput: schema(createCaseSchema),
        PartyInput: schema(partySchema),
        AssetInput: schema(assetSchema),
        ReferencePriceInput: schema(referencePriceSchema),
        LotDraftInput: schema(lotDraftSchema),
        // The court's interventions (G1–G5, P15).
        HoldInput: schema(holdSchema),
        ResumeInput: schema(resumeSchema),
        WithdrawInput: schema(withdrawSchema),
        RevokeInput: schema(revokeSchema),
        RulingInput: schema(rulingSchema),
        HandoverInput: schema(handoverSchema),
        // Appraisal (A13–A16, P6): the agencies' and platforms' side, and the courts' procedures.
        ExtensionInput: schema(extensionSchema),
        ReasonInput: schema(procedureReasonSchema),
        StartProcedureInput: schema(startProcedureSchema),
        ReportUpload: reportUpload(),
        // Appraisal remedies (A17–A23): defects, posting, objections and their review, re-issue, the price.
        PostingInput: schema(postingSchema),
        DefectInput: schema(defectSchema),
        DefectAnswerInput: schema(defectExplanationSchema),
        ObjectionInput: schema(objectionSchema),
        ObjectionAnswerInput: schema(answerSchema),
        ObjectionDecisionInput: schema(decisionSchema),
        ReviewOutcomeInput: schema(reviewOutcomeSchema),
        FixPriceInput: schema(fixPriceSchema),
        // Escrow (H3, H8, P9): the judge's distribution of a case's escrow.
        DistributionDraftInput: schema(distributionDraftSchema),
        ApproveDistributionInput: schema(approveDistributionSchema),
        // A26: the fees of a lot's reference price.
        RecordFeesInput: schema(recordFeesSchema),
      },
    },
    paths: withOperationIds({
      "/api/v1/cases": { post: { summary: "Open an enforcement case in the token's court (court staff): a clerk names the judge in charge (`judgeId`), a judge who names none takes it", requestBody: body("CaseInput"), responses: { ...created, ...errors } } },
      "/api/v1/cases/{caseId}/parties": {
        post: { summary: "Add an applicant creditor or debtor", parameters: [idParam("caseId")], requestBody: body("PartyInput"), responses: { ...created, ...errors } },
      },
      "/api/v1/cases/{caseId}/assets": {
        post: { summary: "Add a seized asset", parameters: [idParam("caseId")], requestBody: body("AssetInput"), responses: { ...created, ...errors } },
      },
      "/api/v1/assets/{assetId}/reference-prices": {
        post: { summary: "Record a negotiated or directed-inquiry reference price", parameters: [idParam("assetId")], requestBody: body("ReferencePriceInput"), responses: { ...created, ...errors } },
      },
      "/api/v1/lots": {
        get: {
          summary: "Search the public lots: keyword, place by name, filters, order and page (ADR 024)",
          description:
            "`q` is matched in the title, place and description (all its words must appear). `province`, `city` and `district` are names (浙江省 or 浙江); `region` is a division-code prefix. `minPriceFen`/`maxPriceFen` bound the current price (the starting price before any bid); `maxRatio` keeps lots whose starting price is at most that percentage of the reference price. `sort=closing` lists lots still to close soonest first, then closed ones latest first. Counts stop at 2,000 (`totalCapped`), and a page may start at most 2,000 lots in (100 pages of 20).",
          security: [],
          parameters: queryParameters(lotSearchSchema),
          responses: {
            "200": {
              description: "A page of lots",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      lots: { type: "array", items: { type: "object" } },
                      total: { type: "integer" },
                      totalCapped: { type: "boolean" },
                      page: { type: "integer" },
                      pageSize: { type: "integer" },
                      pages: { type: "integer" },
                    },
                  },
                },
              },
            },
            "400": { description: "VALIDATION_FAILED: `fields` names each bad parameter (`validation.placeUnknown` for a place that names nothing)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
          },
        },
        post: {
          summary: "Set up a lot draft; 422 LOT_RULES_VIOLATED names each field that breaks a rule",
          requestBody: body("LotDraftInput"),
          responses: { ...created, ...errors, "422": { description: "LOT_RULES_VIOLATED", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } } },
        },
      },
      "/api/v1/lots/{lotId}": { get: { summary: "A lot's state, bid history by bidder code, and result", security: [], parameters: [idParam("lotId")], responses: { "200": { description: "The lot" }, "404": errors["404"] } } },
      "/api/v1/lots/{lotId}/publish": { post: { summary: "Publish the announcement (judges)", parameters: [idParam("lotId")], responses: { "200": { description: "Published" }, ...errors } } },
      "/api/v1/lots/{lotId}/hold": {
        post: {
          summary: "G1, P15: suspend (暂缓) or stay (中止) the lot before or during its bidding, with a public reason (judges); bids are refused LOT_SUSPENDED until it resumes; LOT_TRANSITION_ILLEGAL when already held or ended, LOT_CLOSED once bidding has ended",
          parameters: [idParam("lotId")],
          requestBody: body("HoldInput"),
          responses: { "200": { description: "Held" }, ...errors },
        },
      },
      "/api/v1/lots/{lotId}/resume": {
        post: {
          summary: "G3, P15: resume a held lot (judges); the bidding time left at the hold runs again from now and the new close is returned; LOT_TRANSITION_ILLEGAL when not held, or held past its day (its deposits were released)",
          parameters: [idParam("lotId")],
          requestBody: body("ResumeInput"),
          responses: { "200": { description: "Resumed, with the new close" }, ...errors },
        },
      },
      "/api/v1/lots/{lotId}/withdraw": {
        post: {
          summary: "G5, P2: withdraw (撤回) the lot before its bidding starts, on one of the law's grounds (judges); every deposit is released; LOT_TRANSITION_ILLEGAL once bidding has started",
          parameters: [idParam("lotId")],
          requestBody: body("WithdrawInput"),
          responses: { "200": { description: "Withdrawn" }, ...errors },
        },
      },
      "/api/v1/lots/{lotId}/revoke": {
        post: {
          summary:
            "G7, I5, P2: revoke (撤销) a sale after its close, on one of the law's grounds (judges); the buyer's deposit and balance are refunded, other deposits released, and the re-auction drafted (nextLotId); LOT_TRANSITION_ILLEGAL before the close or after a default, REVOCATION_AFTER_DISTRIBUTION once the case's proceeds are distributed",
          parameters: [idParam("lotId")],
          requestBody: body("RevokeInput"),
          responses: { "200": { description: "Revoked, with the drafted re-auction" }, ...errors },
        },
      },
      "/api/v1/lots/{lotId}/ruling": {
        post: {
          summary:
            "E7, E8: record the sale ruling's service (judges), due within 10 days of full payment; the handover falls due 15 days later; LOT_TRANSITION_ILLEGAL before full payment, RULING_BUYER_INELIGIBLE for a buyer of housing no longer eligible (buyerEligible unticked)",
          parameters: [idParam("lotId")],
          requestBody: body("RulingInput"),
          responses: { "200": { description: "Served, with the handover's deadline" }, ...errors },
        },
      },
      "/api/v1/lots/{lotId}/handover": {
        post: {
          summary: "E7: record the asset's handover to the buyer (judges); LOT_TRANSITION_ILLEGAL before the ruling is served",
          parameters: [idParam("lotId")],
          requestBody: body("HandoverInput"),
          responses: { "200": { description: "Handed over" }, ...errors },
        },
      },
      ...accountPaths(),
      ...appraisalPaths(),
      ...appraisalRemedyPaths(),
      ...escrowPaths(),
    }),
  };
}

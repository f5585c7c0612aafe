import { z } from "zod";
import { assetSchema, createCaseSchema, lotDraftSchema, partySchema, referencePriceSchema } from "../../auction/index.ts";
import { ERRORS } from "../../core/errors.ts";

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
  "401": { description: "UNAUTHENTICATED: missing or revoked token", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "403": { description: "FORBIDDEN: the token's user lacks the permission or the court", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "404": { description: "NOT_FOUND", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
};

const created = { "201": { description: "Created", content: { "application/json": { schema: { type: "object", properties: { id: { type: "string", format: "uuid" } } } } } } };
const body = (name: string) => ({ required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } });
const idParam = (name: string) => ({ name, in: "path", required: true, schema: { type: "string", format: "uuid" } });

export function openApiDocument() {
  return {
    openapi: "3.0.3",
    info: {
      title: "Court Judicial Auction Platform API",
      version: "1",
      description:
        "For court case-management systems and agencies. Amounts are integer fen, sent and returned as decimal strings. Instants are ISO 8601 UTC. Authenticate with `Authorization: Bearer <token>` (tokens are made on the account page and act with their user's permissions).",
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
      },
    },
    paths: {
      "/api/v1/cases": { post: { summary: "Open an enforcement case (judges)", requestBody: body("CaseInput"), responses: { ...created, ...errors } } },
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
          summary: "Public lots, soonest close first",
          security: [],
          parameters: [
            { name: "phase", in: "query", schema: { type: "string", enum: ["announced", "bidding", "ended", "sold", "failed"] } },
            { name: "category", in: "query", schema: { type: "string" } },
            { name: "region", in: "query", schema: { type: "string", pattern: "^\\d{2,6}$" } },
            { name: "court", in: "query", schema: { type: "string", format: "uuid" } },
          ],
          responses: { "200": { description: "Lots" }, "400": errors["400"] },
        },
        post: {
          summary: "Set up a lot draft; 422 LOT_RULES_VIOLATED names each field that breaks a rule",
          requestBody: body("LotDraftInput"),
          responses: { ...created, ...errors, "422": { description: "LOT_RULES_VIOLATED", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } } },
        },
      },
      "/api/v1/lots/{lotId}": { get: { summary: "A lot's state, bid history by bidder code, and result", security: [], parameters: [idParam("lotId")], responses: { "200": { description: "The lot" }, "404": errors["404"] } } },
      "/api/v1/lots/{lotId}/publish": { post: { summary: "Publish the announcement (judges)", parameters: [idParam("lotId")], responses: { "200": { description: "Published" }, ...errors } } },
    },
  };
}

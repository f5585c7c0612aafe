import { openApiDocument } from "../../lib/openapi.server.ts";

/** GET /api/openapi.json */
export function loader() {
  return Response.json(openApiDocument());
}

import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("register", "routes/register.tsx"),
  route("sign-in", "routes/sign-in.tsx"),
  route("sign-out", "routes/sign-out.tsx"),
  route("account", "routes/account.tsx"),
  route("account/tokens", "routes/account.tokens.tsx"),
  route("account/proxy", "routes/account.proxy.tsx"),
  route("admin/users", "routes/admin.users.tsx"),
  route("lang", "routes/lang.tsx"),
  // Public lots, and bidders' own steps on a lot.
  route("lots", "routes/lots.tsx"),
  route("lots/:lotId", "routes/lot.tsx"),
  route("lots/:lotId/files/:fileId", "routes/lot-file.ts"),
  route("lots/:lotId/apply", "routes/lot.apply.tsx"),
  route("lots/:lotId/deposit", "routes/lot.deposit.tsx"),
  route("lots/:lotId/bid", "routes/lot.bid.tsx"),
  route("my/registrations", "routes/my.registrations.tsx"),
  route("my/bids", "routes/my.bids.tsx"),
  // Court staff: cases, assets, reference prices, lot set-up, publication and the lot monitor.
  route("court/cases", "routes/court.cases.tsx"),
  route("court/companies", "routes/court.companies.tsx"),
  route("court/cases/:caseId", "routes/court.case.tsx"),
  route("court/assets/:assetId", "routes/court.asset.tsx"),
  route("court/assets/:assetId/lots/new", "routes/court.lot-new.tsx"),
  route("court/lots/:lotId", "routes/court.lot.tsx"),
  // Published results (E5), written by the confirmation work.
  route("lots/:lotId/confirmation.pdf", "routes/lot-confirmation.ts"),
  // JSON API for courts' case-management systems (paths as documented in each module).
  route("api/openapi.json", "routes/api/openapi.ts"),
  route("api/v1/cases", "routes/api/cases.ts"),
  route("api/v1/cases/:caseId/parties", "routes/api/case-parties.ts"),
  route("api/v1/cases/:caseId/assets", "routes/api/case-assets.ts"),
  route("api/v1/assets/:assetId/reference-prices", "routes/api/reference-prices.ts"),
  route("api/v1/lots", "routes/api/lots.ts"),
  route("api/v1/lots/:lotId", "routes/api/lot.ts"),
  route("api/v1/lots/:lotId/publish", "routes/api/lot-publish.ts"),
  route("api/v1/me", "routes/api.v1.me.ts"),
  route("api/v1/admin/users", "routes/api.v1.admin.users.ts"),
  route("api/v1/admin/users/:userId/revoke-sessions", "routes/api.v1.admin.revoke-sessions.ts"),
  // Appraisal agencies, inquiry platforms and the admin's pools (A6, A12–A21), and the appraisal JSON API.
  route("agency", "routes/agency.tsx"),
  route("agency/commissions/:commissionId", "routes/agency.commission.tsx"),
  route("agency/conflicts", "routes/agency.conflicts.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;

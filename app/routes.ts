import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("register", "routes/register.tsx"),
  route("sign-in", "routes/sign-in.tsx"),
  route("sign-out", "routes/sign-out.tsx"),
  route("account", "routes/account.tsx"),
  route("admin/users", "routes/admin.users.tsx"),
  route("lang", "routes/lang.tsx"),
  route("api/v1/me", "routes/api.v1.me.ts"),
  route("api/v1/admin/users", "routes/api.v1.admin.users.ts"),
  route("api/v1/admin/users/:userId/revoke-sessions", "routes/api.v1.admin.revoke-sessions.ts"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;

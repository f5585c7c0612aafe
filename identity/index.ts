export { registerBidder, registerBidderSchema, type RegisterBidderInput } from "./register.ts";
export { signIn, signOut, signInSchema, type SignInInput, LOGIN_WINDOW_MS, MAX_FAILURES_PER_USERNAME } from "./sign-in.ts";
export { SESSION_COOKIE, SESSION_TTL_MS, findSessionUser, sealToken, unsealToken, type SessionUser } from "./sessions.ts";
export { can, requirePermission, PERMISSIONS, type Permission } from "./permissions.ts";
export { listUsers, revokeSessions, setUserDisabled, type UserSummary } from "./admin.ts";
export { getAccount, mask } from "./account.ts";
export { hashPassword } from "./passwords.ts";
export { validateResidentId, validateCreditCode, validatePhone, residentIdCheckChar, creditCodeCheckChar } from "./validators.ts";
export { createApiToken, revokeApiToken, listApiTokens, findTokenUser, apiTokenSchema } from "./api-tokens.ts";

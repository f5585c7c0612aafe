export { newPasswordField, refusePasswordWithUsername, registerBidder, registerBidderSchema, usernameField, REGISTER_LIMIT, type RegisterBidderInput } from "./register.ts";
export { signIn, signOut, signInSchema, purgeLoginAttempts, type SignInInput, LOGIN_WINDOW_MS, MAX_FAILURES_PER_USERNAME, MAX_FAILURES_PER_IP, MAX_FAILURES_PER_DEVICE } from "./sign-in.ts";
export { KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_TTL_MS } from "./known-devices.ts";
export { accountNoticesOf, channelsFor, markNoticesRead, noticeAccounts, notify, OUTBID_NOTICE_SQL, unreadNoticeCount, type AccountNotice, type NewNotice } from "./account-notices.ts";
export { deliverPendingNotices, pendingEmailCount, DELIVERY_MAX_ATTEMPTS, type ClaimedDelivery, type NoticeSenders } from "./notice-deliveries.ts";
export { setAccountEmail, emailSchema } from "./account.ts";
export {
  SESSION_COOKIE,
  SESSION_TTL_MS,
  SESSION_IDLE_MS,
  SESSION_TOUCH_MS,
  findSessionUser,
  listOpenSessions,
  endOtherSessions,
  sealToken,
  unsealToken,
  type SessionUser,
  type SessionPolicy,
  type SessionView,
} from "./sessions.ts";
export { authorize, can, PERMISSIONS, type Permission, type Scope, type ScopeTarget } from "./permissions.ts";
export { listUsers, revokeSessions, setUserDisabled, setStaffIdentityNumber, staffIdentitySchema, staffIdentityNumberField, STAFF_ROLES, type UserSummary } from "./admin.ts";
export { getAccount, mask } from "./account.ts";
export { hashPassword } from "./passwords.ts";
export { validateResidentId, validateCreditCode, validatePhone, residentIdCheckChar, creditCodeCheckChar } from "./validators.ts";
export { createApiToken, revokeApiToken, listApiTokens, findTokenUser, apiTokenSchema, scopesForRole, TOKEN_LIFETIMES_DAYS, DEFAULT_TOKEN_LIFETIME_DAYS } from "./api-tokens.ts";
export { API_SCOPES, PERMISSION_AREAS, type ApiScope, type ApiArea } from "./api-scopes.ts";
export { countAttempt, type AttemptLimit } from "./attempt-limits.ts";
export { verifyRealName, verifiedIdentityOf, simulatedRealNameVerifier, SIMULATED_REFUSED_NAME, REAL_NAME_LIMIT, type RealNameVerifier, type RealNameQuery, type RealNameAnswer } from "./real-name.ts";
export { accountsAwaitingConfirmation, confirmRepresentation, declareProxy, removeProxy, proxySchema, type ProxyInput } from "./proxies.ts";
export { listCourts, insertAgency, updateAgency, insertInquiryPlatform } from "./organisations.ts";
export { insertStaffUser, agencyMembers, platformStaff, type StaffAccountInput, type StaffAccount } from "./staff.ts";

// Identity's tables that other contexts may read and join on (docs/decisions/012-table-ownership.md). Only identity
// writes them; tests/unit/table-ownership.test.ts fails on an insert, update or delete of them anywhere else.
export { users, courts, agencies, inquiryPlatforms, bidderProfiles } from "../db/schema/index.ts";

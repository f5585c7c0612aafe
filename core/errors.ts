// Every error a client can see has a stable code: clients branch on the code, people
// read the message in their language, and the HTTP status comes from the same table.
export type Lang = "zh-CN" | "en";

export interface ErrorSpec {
  status: number;
  zh: string;
  en: string;
}

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: "提交的信息有误，请检查后重试", en: "Some of the information is invalid. Please check and try again." },
  UNAUTHENTICATED: { status: 401, zh: "请先登录", en: "Please sign in first." },
  FORBIDDEN: { status: 403, zh: "无权执行此操作", en: "You are not allowed to do this." },
  NOT_FOUND: { status: 404, zh: "未找到相关内容", en: "Not found." },
  CONFLICT: { status: 409, zh: "操作与当前状态冲突，请刷新后重试", en: "This conflicts with the current state. Please refresh and try again." },
  RATE_LIMITED: { status: 429, zh: "操作过于频繁，请稍后再试", en: "Too many requests. Please try again later." },
  INVALID_CREDENTIALS: { status: 401, zh: "用户名或密码错误", en: "Incorrect username or password." },
  ACCOUNT_DISABLED: { status: 403, zh: "该账户已被停用", en: "This account has been disabled." },
  SESSION_EXPIRED: { status: 401, zh: "登录已过期，请重新登录", en: "Your session has expired. Please sign in again." },
  USERNAME_TAKEN: { status: 409, zh: "该用户名已被使用", en: "This username is already taken." },
  ID_NUMBER_TAKEN: { status: 409, zh: "该证件号码已注册", en: "This identity number is already registered." },
  ORIGIN_REJECTED: { status: 403, zh: "请求来源不被允许", en: "The request origin is not allowed." },
  INVALID_AMOUNT: { status: 400, zh: "金额应为大于零的整数分值", en: "The amount must be a whole number of fen above zero." },
  LOT_RULES_VIOLATED: { status: 422, zh: "拍品设置不符合规则，请按提示修改", en: "The lot does not meet the rules. Please correct the fields shown." },
  LOT_NOT_OPEN: { status: 409, zh: "拍品尚未开始竞价", en: "Bidding on this lot has not started." },
  LOT_CLOSED: { status: 409, zh: "竞价已结束", en: "Bidding on this lot has ended." },
  BID_BELOW_START: { status: 422, zh: "出价低于起拍价", en: "The bid is below the starting price." },
  BID_TOO_LOW: { status: 422, zh: "出价须高于当前价至少一个加价幅度", en: "The bid must exceed the current price by at least one increment." },
  BID_OFF_INCREMENT: { status: 422, zh: "出价须按加价幅度的整数倍递增", en: "The bid must rise in whole increments." },
  ALREADY_LEADING: { status: 409, zh: "您已是当前最高出价者", en: "You already hold the highest bid." },
  PRIORITY_MATCH_LOSES: { status: 409, zh: "同价时顺位更高或更早的优先购买权人优先", en: "At an equal price, a higher-ranked or earlier priority holder prevails." },
  NOT_REGISTERED: { status: 403, zh: "您尚未报名参加该拍品的竞买", en: "You have not registered for this lot." },
  DEPOSIT_NOT_PAID: { status: 403, zh: "请先交纳保证金", en: "Pay the deposit first." },
  AWAITING_COURT: { status: 403, zh: "单位竞买人或委托代理人竞买的，代理人身份须经法院确认后方可出价", en: "A company, or a person bidding through a proxy, may bid only once the court has confirmed the person acting for them." },
  BIDDER_BARRED: { status: 403, zh: "依规定您不得参加该拍品的竞买", en: "The rules bar you from bidding on this lot." },
  ALREADY_REGISTERED: { status: 409, zh: "您已报名该拍品", en: "You have already registered for this lot." },
  // Appraisal: pool and draw.
  // Appraisal: procedures, commissions, reports and objections.
  // Appraisal: online and directed inquiry, negotiation.
  INTERNAL: { status: 500, zh: "系统内部错误，请稍后再试", en: "Something went wrong on our side. Please try again later." },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export interface AppErrorOptions {
  /** Field name → message code (e.g. "validation.usernameTaken") or text, for form display. */
  fields?: Record<string, string>;
  /** Extra data for logs only; never sent to the client. */
  details?: unknown;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields?: Record<string, string>;
  readonly details?: unknown;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    // The English text keeps server logs readable; clients localize via the code.
    super(ERRORS[code].en, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = ERRORS[code].status;
    if (options.fields !== undefined) this.fields = options.fields;
    if (options.details !== undefined) this.details = options.details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERRORS, code);
}

export function errorMessage(code: ErrorCode, lang: Lang): string {
  return lang === "zh-CN" ? ERRORS[code].zh : ERRORS[code].en;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: Record<string, string> };
}

/**
 * JSON body for an API error response. Anything that is not an AppError becomes INTERNAL
 * so stack traces and driver messages never reach the client.
 */
export function toErrorBody(err: unknown, lang: Lang): ErrorBody {
  const code: ErrorCode = isAppError(err) ? err.code : "INTERNAL";
  const body: ErrorBody = { error: { code, message: errorMessage(code, lang) } };
  if (isAppError(err) && err.fields !== undefined) body.error.fields = { ...err.fields };
  return body;
}

// Every error a client can see has a stable code: clients branch on the code, people
// read the message in their language, and the HTTP status comes from the same table.
export type Lang = "zh-CN" | "en";

export interface ErrorSpec {
  status: number;
  zh: string;
  en: string;
}

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: "提交的信息有误，请检查后重试。", en: "Some of the information is not valid. Check it and try again." },
  UNAUTHENTICATED: { status: 401, zh: "请先登录。", en: "Sign in first." },
  FORBIDDEN: { status: 403, zh: "您无权执行此操作。", en: "You are not allowed to do this." },
  NOT_FOUND: { status: 404, zh: "未找到相关内容。", en: "Not found." },
  CONFLICT: { status: 409, zh: "此操作与当前状态冲突，请刷新页面后重试。", en: "This conflicts with the current state. Refresh the page and try again." },
  METHOD_NOT_ALLOWED: { status: 405, zh: "此网址不接受这种请求方式。", en: "This address does not accept this kind of request." },
  PAYLOAD_TOO_LARGE: { status: 413, zh: "提交的内容过大。", en: "What was sent is too large." },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: "请求内容的格式不受支持，请以 JSON 发送（Content-Type: application/json）。", en: "The request body's format is not supported. Send it as JSON (Content-Type: application/json)." },
  RATE_LIMITED: { status: 429, zh: "尝试次数过多，请稍后再试。", en: "Too many attempts. Try again later." },
  INVALID_CREDENTIALS: { status: 401, zh: "用户名或密码不正确。", en: "The username or password is not correct." },
  ACCOUNT_DISABLED: { status: 403, zh: "该账户已被停用。如有疑问，请联系平台管理员。", en: "This account has been disabled. Contact the platform administrator if you have questions." },
  SESSION_EXPIRED: { status: 401, zh: "登录已过期，请重新登录。", en: "Your session has expired. Sign in again." },
  TOKEN_EXPIRED: { status: 401, zh: "该 API 令牌已过期，请在账户页面创建新令牌。", en: "This API token has expired. Create a new one on your account page." },
  TOKEN_SCOPE_MISSING: { status: 403, zh: "该 API 令牌的权限范围不包括此操作。", en: "This API token's scopes do not cover this action." },
  USERNAME_TAKEN: { status: 409, zh: "该用户名已被使用。", en: "This username is already in use." },
  ORIGIN_REJECTED: { status: 403, zh: "请求来源不被允许。", en: "The request origin is not allowed." },
  INVALID_AMOUNT: { status: 400, zh: "金额应为大于零的整数分值。", en: "The amount must be a whole number of fen above zero." },
  LOT_RULES_VIOLATED: { status: 422, zh: "拍品设置不符合规则，请按提示修改。", en: "The lot does not meet the rules. Correct the fields shown." },
  LOT_NOT_OPEN: { status: 409, zh: "本拍品尚未开始竞价。", en: "Bidding on this lot has not started." },
  LOT_CLOSED: { status: 409, zh: "本拍品的竞价已结束。", en: "Bidding on this lot has ended." },
  // A step the lot's life does not allow from where it is (ADR 022): publishing twice, resuming a lot not held, …
  LOT_SUSPENDED: { status: 409, zh: "本拍品已被法院暂缓或中止拍卖，暂不接受出价。恢复后将公布新的结束时间。", en: "The court has suspended this auction. No bids are taken until it resumes; the new closing time will be posted then." },
  // B11, F6, F8: a draft the previous round's end made is the asset's way on; the court leaves it unpublished instead.
  LOT_DRAFT_IS_NEXT_ROUND: {
    status: 409,
    zh: "这份草稿是上一场拍卖结束后生成的下一轮拍卖，不能撤回。如不再继续拍卖，请不要发布它。",
    en: "This draft is the next round, made when the previous auction ended, and cannot be withdrawn. If the asset is not to be sold, leave it unpublished.",
  },
  LOT_TRANSITION_ILLEGAL: { status: 409, zh: "拍品当前所处阶段不允许此操作，请刷新页面查看最新状态。", en: "The lot's current stage does not allow this. Reload the page to see where it stands." },
  REVOCATION_AFTER_DISTRIBUTION: {
    status: 409,
    zh: "本案的拍卖款已经分配，不能在线撤销这次拍卖。请依法另行处理。",
    en: "This case's proceeds have already been distributed, so the sale cannot be revoked here. It must be dealt with outside the platform.",
  },
  CREDITOR_INELIGIBLE_FOR_HOUSING: {
    status: 409,
    zh: "该债权人不具备购房资格，不能以该住房抵债。",
    en: "This creditor is not eligible to buy housing, so the home cannot be given in payment.",
  },
  ASSET_TAKEN_OVER: { status: 409, zh: "该标的物已以物抵债交付债权人，不能再拍卖。", en: "This asset has been given to a creditor in payment, so it cannot be auctioned again." },
  RULING_BUYER_INELIGIBLE: { status: 409, zh: "买受人已不具备购房资格，不能作出成交裁定。", en: "The buyer is no longer eligible to buy housing, so the sale ruling cannot be made." },
  BID_BELOW_START: { status: 422, zh: "出价低于起拍价。", en: "The bid is below the starting price." },
  BID_TOO_LOW: { status: 422, zh: "出价须高于当前价至少一个加价幅度。", en: "The bid must be at least one increment above the current price." },
  BID_OFF_INCREMENT: { status: 422, zh: "出价须按加价幅度的整数倍递增。", en: "The bid must rise in whole increments." },
  ALREADY_LEADING: { status: 409, zh: "您已是当前最高出价者，无需再次出价。", en: "You already hold the highest bid. You do not need to bid again." },
  PRIORITY_MATCH_LOSES: { status: 409, zh: "同价时，顺位更高或出价更早的优先购买权人优先。", en: "At an equal price, a higher-ranked or earlier priority holder wins." },
  // Not a refusal of the bid: the lot's queue is too long to decide it soon. Nothing was written; send it again.
  BID_BUSY: { status: 503, zh: "出价人数过多，本次出价未处理，请重新出价。", en: "Too many bids at this moment: yours was not processed. Bid again." },
  NOT_REGISTERED: { status: 403, zh: "您尚未报名参加本拍品的竞买。", en: "You have not registered for this lot." },
  DEPOSIT_NOT_PAID: { status: 403, zh: "请先交纳保证金。", en: "Pay the deposit first." },
  AWAITING_COURT: { status: 403, zh: "单位竞买人或委托代理人竞买的，代理人身份须经法院确认后方可出价。", en: "A company, or a person bidding through a proxy, may bid only once the court has confirmed the person acting for them." },
  BIDDER_BARRED: { status: 403, zh: "依照规定，您不得参加本拍品的竞买。如有疑问，请联系法院。", en: "The rules do not allow you to bid for this lot. Contact the court if you have questions." },
  // 预约看样: a viewing of the asset (auction/viewings.ts).
  VIEWING_FULL: { status: 409, zh: "该看样时段已约满，请选择其他时段。", en: "This viewing is fully booked. Choose another time." },
  VIEWING_ALREADY_BOOKED: { status: 409, zh: "您已预约本拍品的看样。如需改约，请先取消原预约。", en: "You have already booked a viewing of this lot. To change it, cancel your booking first." },
  VIEWING_CANCELLED: { status: 409, zh: "法院已取消该看样时段，请选择其他时段。", en: "The court has called this viewing off. Choose another time." },
  VIEWING_PASSED: { status: 409, zh: "该看样时段已经开始或结束，不能再预约或取消。", en: "This viewing has already started or ended, so it can no longer be booked or cancelled." },
  ALREADY_REGISTERED: { status: 409, zh: "您已报名本拍品。", en: "You have already registered for this lot." },
  // Real-name binding: bidders' verified identity, and accounts acting for case parties (ADR 016).
  REAL_NAME_UNVERIFIED: { status: 403, zh: "请先完成实名认证。", en: "Verify your real name first." },
  REAL_NAME_REFUSED: { status: 422, zh: "实名认证未通过：姓名（名称）与证件号码不一致。如信息有误，请联系平台。", en: "Your real name could not be verified: the name does not match the identity number. Contact the platform if your details are wrong." },
  ONE_REGISTRATION_PER_PERSON: { status: 409, zh: "同一自然人或单位（含其委托代理人）对同一拍品只能报名一次，一名代理人也只能代理一名竞买人。", en: "One person or company, or their proxy, may hold only one registration for a lot, and a proxy may act for only one bidder in it." },
  LINK_CODE_INVALID: { status: 422, zh: "关联码无效、已使用或已过期。请向法院索取新的关联码。", en: "This link code is not valid, has been used or has expired. Ask the court for a new one." },
  PARTY_IDENTITY_MISMATCH: { status: 422, zh: "您的实名信息与该当事人不一致，不能关联。", en: "Your verified identity is not that of this party, so your account cannot be linked to it." },
  // Appraisal: pool and draw.
  AGENCY_ALREADY_LISTED: { status: 409, zh: "该评估机构已在名单库中", en: "This appraisal agency is already on the list." },
  AGENCY_BARRED: { status: 409, zh: "该机构被移出名单库未满五年，不得重新入库", en: "This agency was removed from the list less than five years ago and may not rejoin yet." },
  AGENCY_NOT_LISTED: { status: 409, zh: "该评估机构不在名单库中或状态不允许此操作", en: "This agency is not on the list, or its standing does not allow this." },
  PLATFORM_ALREADY_LISTED: { status: 409, zh: "该询价平台已在名单库中", en: "This inquiry platform is already on the list." },
  DRAW_NOT_APPLICABLE: { status: 409, zh: "该程序不能摇号：须为进行中的委托评估且尚未确定评估机构", en: "No draw is possible: the procedure must be an open appraisal whose agencies are not yet chosen." },
  DRAW_TOO_FEW_AGENCIES: { status: 422, zh: "符合条件的评估机构不足三家，请扩大摇号范围", en: "Fewer than three agencies are eligible. Widen the scope of the draw." },
  DRAW_ALREADY_OPEN: { status: 409, zh: "该程序已有摇号", en: "A draw already exists for this procedure." },
  DRAW_NOT_DUE: { status: 409, zh: "随机数提交截止前不能摇号", en: "The draw cannot run before the entropy cut-off." },
  DRAW_ALREADY_RUN: { status: 409, zh: "摇号已经完成", en: "The draw has already run." },
  // P6: the draw was opened under a seed key the server no longer holds (ADR 009: keep retired keys until their draws ran).
  DRAW_SEED_KEY_MISSING: {
    status: 503,
    zh: "摇号所用的密钥未在平台配置，暂时不能摇号。请联系平台管理员。",
    en: "The key this draw was opened under is not configured on the platform, so it cannot run yet. Contact the platform administrator.",
  },
  ENTROPY_CLOSED: { status: 409, zh: "随机数提交已截止", en: "Contributions to this draw are closed." },
  ENTROPY_ALREADY_GIVEN: { status: 409, zh: "您一方已提交过随机数", en: "Your side has already contributed to this draw." },
  NOT_A_PARTY: { status: 403, zh: "您不是本案当事人", en: "You are not a party to this case." },
  // Appraisal: procedures, commissions, reports and objections.
  PROCEDURE_RUNNING: { status: 409, zh: "该标的物已有进行中的定价程序", en: "A pricing procedure for this asset is already under way." },
  PROCEDURE_NOT_OPEN: { status: 409, zh: "该定价程序已暂缓或已终结，不能办理此事项", en: "This pricing procedure is suspended or has ended; this step is not possible." },
  AGENCIES_INVALID: { status: 422, zh: "须为名单库中三家不同的在册评估机构", en: "Choose three different agencies that are active on the list." },
  OFFER_EXPIRED: { status: 409, zh: "答复期限已过，该委托视为拒绝", en: "The time to answer has passed; the commission counts as declined." },
  EXTENSION_TOO_LATE: { status: 422, zh: "延期申请应在报告期限届满五日前提出", en: "An extension must be requested at least 5 days before the report is due." },
  EXTENSION_LIMIT: { status: 422, zh: "延期次数不得超过两次", en: "No more than two extensions are allowed." },
  EXTENSION_TOO_LONG: { status: 422, zh: "每次延期不得超过十五日", en: "Each extension may be at most 15 days." },
  REPORT_OVERDUE: { status: 409, zh: "评估报告的出具期限已过", en: "The deadline for the report has passed." },
  REPORT_NOT_DELIVERED: { status: 409, zh: "评估报告尚未送达当事人", en: "The report has not yet been delivered to the parties." },
  REPORT_UNUSABLE: { status: 409, zh: "该报告的异议已成立，不能作为参考价依据", en: "An objection to this report was upheld; it cannot be used for the reference price." },
  REPORT_EXPIRED: { status: 409, zh: "评估报告已超过有效期，须重新出具", en: "The report's validity has ended; a new report is needed." },
  OBJECTION_LATE: { status: 422, zh: "已超过提出异议的期限", en: "The time for objections has passed." },
  OBJECTION_NOT_ALLOWED: { status: 422, zh: "对当事人议价或定向询价确定的参考价不得提出异议", en: "Objections to a negotiated or directed-inquiry price are not accepted." },
  OBJECTIONS_PENDING: { status: 409, zh: "异议期尚未届满或尚有异议未处理", en: "The objection period is still running or an objection is undecided." },
  OBJECTION_ANSWER_LATE: { status: 409, zh: "说明期限已过，该异议转交专业技术评审", en: "The time to explain has passed; the objection goes to technical review." },
  REPORT_DEFECT_OPEN: { status: 409, zh: "该评估报告的瑕疵尚未说明或补正，不能据以确定参考价", en: "A defect in this report has not been explained or corrected; the reference price cannot be fixed from it." },
  DEFECT_NOT_OVERDUE: { status: 409, zh: "评估机构说明或补正瑕疵的期限尚未届满，或瑕疵已经说明、补正", en: "The agency's time to explain or correct the defect has not passed, or the defect has already been dealt with." },
  DEFECT_EXTENDED_ONCE: { status: 409, zh: "已重新指定过一次说明或补正期限，不能再次指定", en: "A new deadline has already been given once for this defect; it cannot be given again." },
  REVIEW_LATE: { status: 422, zh: "已超过申请复议的期限", en: "The time to ask for review has passed." },
  REVIEW_NOT_ALLOWED: { status: 409, zh: "仅提出异议的当事人可对驳回程序性异议的决定申请复议，且只能申请一次", en: "Only the objecting party may ask for review of a rejected procedural objection, and only once." },
  // A20: fixing the price inside a party's 10 days to seek review would make the review moot.
  REVIEW_WINDOW_OPEN: {
    status: 409,
    zh: "当事人申请复议的期限尚未届满，期限届满后方可确定参考价",
    en: "A party may still ask for review of the decision on its objection; the reference price can be fixed once that time has passed.",
  },
  REVIEW_PENDING: { status: 409, zh: "复议尚未审结，不能确定参考价", en: "A review is still pending; the reference price cannot be fixed yet." },
  REISSUE_NOT_NEEDED: { status: 409, zh: "参考价尚在有效期内或已发布一拍公告，无需重新出具报告", en: "The reference price is still valid or the first auction has been announced; no new report is needed." },
  // Appraisal: online and directed inquiry, negotiation.
  DEADLINE_PASSED: { status: 409, zh: "已超过法院指定的期限", en: "The deadline set by the court has passed." },
  NEGOTIATION_PARTIES_MISSING: { status: 422, zh: "议价须有申请执行人和被执行人双方", en: "A negotiation needs both an applicant and a debtor." },
  NO_INQUIRY_PLATFORM: { status: 422, zh: "没有可对该类财产询价的在册网络询价平台", en: "No listed inquiry platform prices this kind of asset." },
  INQUIRY_ALREADY_REPORTED: { status: 409, zh: "询价报告已提交", en: "The inquiry report has already been submitted." },
  INQUIRY_EXTENSION_REFUSED: { status: 409, zh: "延期申请须在期限届满前提出，且只能延期一次", en: "An extension must be asked before the deadline, and only once." },
  CORRECTIONS_NOT_ALLOWED: { status: 422, zh: "仅在全部询价报告均存在事实或范围错误时才通知补正", en: "Corrections are asked only when every inquiry report has an error of facts or scope." },
  CORRECTIONS_NEEDED: { status: 409, zh: "全部询价报告均存在错误，须先通知补正", en: "Every inquiry report has an error; ask for corrections first." },
  INQUIRY_REPORTS_OUTSTANDING: { status: 409, zh: "询价报告或补正期限尚未届满", en: "Reports or corrections are still due." },
  INSUFFICIENT_FUNDS: { status: 409, zh: "账户余额不足，资金未划转。", en: "The account does not hold enough money; nothing was moved." },
  LEDGER_KEY_REUSED: { status: 409, zh: "该划转编号已用于另一笔不同的划转。", en: "This transfer key was already used for a different transfer." },
  DEPOSIT_ALREADY_PAID: { status: 409, zh: "您已缴纳本拍品的保证金。", en: "You have already paid the deposit for this lot." },
  DEPOSIT_HOLDER_MISMATCH: { status: 422, zh: "保证金须以竞买人本人名义缴纳：付款卡的持卡人姓名与您实名认证的姓名不一致。款项将原路退回。", en: "The deposit must be paid in the bidder's own name: the card holder's name differs from your verified name. The money will be refunded." },
  PAYMENT_DECLINED: { status: 402, zh: "付款未成功：银行拒绝了这笔付款。请换一张卡或联系发卡行。", en: "The payment did not go through: the bank declined it. Try another card or contact your bank." },
  PAYMENT_CONFIRMATION_FAILED: { status: 422, zh: "验证码不正确，付款尚未完成。", en: "The confirmation code is not correct; the payment is not complete." },
  PAYMENT_IN_PROGRESS: { status: 409, zh: "这笔付款正在处理中，请稍候查看结果。", en: "This payment is being processed. Check back shortly." },
  REFUND_EXCEEDS_PAYMENT: { status: 409, zh: "退款金额超过原付款金额。", en: "The refund is larger than the payment." },
  WEBHOOK_SIGNATURE_INVALID: { status: 400, zh: "通知签名无效。", en: "The notification's signature is not valid." },
  NOTHING_TO_DISTRIBUTE: { status: 409, zh: "本案执行款专户中没有可分配的款项。", en: "The case's escrow holds no money to distribute." },
  BALANCE_STILL_DUE: { status: 409, zh: "本案仍有拍品的成交余款未付清，付清或逾期后才能分配。", en: "A buyer's balance on one of the case's lots is still due; distribute once it is paid or the deadline has passed." },
  // A26: fees of a reference price (escrow/fees.ts).
  FEE_FIGURES_NOT_KNOWN: {
    status: 409,
    zh: "该拍品尚未成交，也未以变卖不成结束，评估或询价费用还不能确定。",
    en: "This lot has neither sold nor ended unsold after its sale-off, so the appraisal or inquiry fees cannot be worked out yet.",
  },
  NO_FEE_BASIS: {
    status: 409,
    zh: "该标的物的参考价不是通过本平台的网络询价或委托评估确定的，无需在此记录费用。",
    en: "This asset's reference price was not set by an online inquiry or an appraisal on this platform, so there is no fee to record here.",
  },
  INQUIRY_FEE_NEEDS_DEAL: {
    status: 409,
    zh: "询价费用按最接近成交价的平台确定；该标的物未成交，无法确定收费平台。",
    en: "The inquiry fee goes to the platform closest to the sale price; nothing sold, so no platform can be chosen.",
  },
  FEE_ABOVE_BASE: {
    status: 422,
    zh: "评估费用不能高于其计费基数（评估价与成交价中较低者）。",
    en: "The appraisal fee cannot be more than the amount it is based on (the lower of the appraised value and the sale price).",
  },
  FEES_ALREADY_RECORDED: {
    status: 409,
    zh: "该标的物的评估或询价费用已按其他金额记录，不能更改。",
    en: "This asset's appraisal or inquiry fees have already been recorded with other amounts and cannot be changed.",
  },
  DISTRIBUTION_OUT_OF_DATE: { status: 409, zh: "专户余额已变化，请重新制作分配方案。", en: "The escrow's balance has changed since this plan was drafted; draft it again." },
  NOT_A_CASE_APPLICANT: { status: 422, zh: "所选当事人不是本案的申请执行人。", en: "The party chosen is not an applicant creditor of this case." },
  NO_BALANCE_DUE: { status: 409, zh: "您在本拍品没有待付的余款。", en: "You have no balance to pay for this lot." },
  GATEWAY_UNAVAILABLE: { status: 503, zh: "支付服务暂时不可用，未扣款。请稍后再试。", en: "The payment service is unavailable for a moment; nothing was charged. Try again shortly." },
  // The database cannot be reached (or did not answer in time): nothing was done; the same request may be sent again.
  SERVICE_UNAVAILABLE: { status: 503, zh: "服务暂时不可用，您的请求未被处理。请稍后再试。", en: "The service is unavailable for a moment and your request was not processed. Try again shortly." },
  INTERNAL: { status: 500, zh: "系统出现问题，请稍后再试。", en: "Something went wrong on our side. Try again later." },
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

/**
 * By its name and code as well as its class: the page bundle (build/server) has its own copy of this module, and an
 * error thrown by an object the server built from the sources (the payment gateway, the real-name service) is an
 * instance of the other copy's class.
 */
export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError || (e instanceof Error && e.name === "AppError" && isErrorCode((e as { code?: unknown }).code));
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERRORS, code);
}

export function errorMessage(code: ErrorCode, lang: Lang): string {
  return lang === "zh-CN" ? ERRORS[code].zh : ERRORS[code].en;
}

/** Every code's message in one language: the interface's `errors.*` texts. */
export function errorMessages(lang: Lang): Record<ErrorCode, string> {
  return Object.fromEntries(Object.keys(ERRORS).map((code) => [code, errorMessage(code as ErrorCode, lang)])) as Record<ErrorCode, string>;
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

// The words of e-mailed and texted notices. The account's language is not known, so each message is in Chinese with
// an English line below. Like the pages, a message names no rule and no code, and nothing sealed (P4): a lot is named
// by its title and linked, and nobody but the reader is mentioned.
import type { AccountNoticeKind } from "../db/schema/index.ts";

const TEXTS: Record<AccountNoticeKind, { zh: string; en: string }> = {
  identity_reuse_attempt: { zh: "有人试图用您的证件号码注册新账户，未创建账户。如非本人操作，请联系平台管理员。", en: "Someone tried to register a new account with your identity number. No account was made." },
  lot_suspended: { zh: "法院已暂缓您报名的拍卖。", en: "The court has suspended an auction you registered for." },
  lot_stayed: { zh: "法院已中止您报名的拍卖。", en: "The court has stayed an auction you registered for." },
  lot_resumed: { zh: "您报名的拍卖已恢复。", en: "An auction you registered for has resumed." },
  lot_withdrawn: { zh: "法院已撤回您报名的拍卖，保证金将退还。", en: "The court has withdrawn an auction you registered for; your deposit will be refunded." },
  lot_relisted: { zh: "您报名的拍卖已结束，将重新拍卖。", en: "An auction you registered for has ended and will be auctioned again." },
  lot_revoked: { zh: "法院已撤销您参加的拍卖。", en: "The court has revoked an auction you took part in." },
  lot_starts_soon: { zh: "您关注的拍卖将在24小时内开始，如需参加请尽快报名并交纳保证金。", en: "An auction you follow starts within 24 hours. To bid, register and pay the deposit before it starts." },
  lot_ends_soon: { zh: "您关注的拍卖将在1小时内结束。", en: "An auction you follow ends within the hour." },
  outbid: { zh: "您的出价已被超越。", en: "You have been outbid." },
  lot_won: { zh: "恭喜，您竞得了该拍品。请按期支付余款。", en: "You won this auction. Please pay the balance on time." },
  lot_lost: { zh: "拍卖已结束，您未竞得该拍品。保证金将退还。", en: "The auction has ended and you did not win. Your deposit will be refunded." },
  deposit_received: { zh: "您的保证金已到账，可以出价。", en: "Your deposit has arrived; you may bid." },
  deposit_released: { zh: "您的保证金已解冻，正在退还。", en: "Your deposit has been released and is being refunded." },
  ruling_due: { zh: "成交裁定的送达期限将在24小时内届满。", en: "A sale ruling must be served within 24 hours." },
  handover_due: { zh: "拍品移交期限将在24小时内届满。", en: "An asset must be handed over within 24 hours." },
  viewing_cancelled: { zh: "法院已取消您预约的看样，如需看样请重新预约其他时段。", en: "The court has called off a viewing you booked. To view the asset, book another time." },
  viewing_soon: { zh: "您预约的看样将在24小时内开始，时间和地点见拍品页面，请携带身份证件按时到场。", en: "A viewing you booked starts within 24 hours. The time and place are on the lot's page; bring your identity document." },
};

export interface NoticeMessage {
  subject: string;
  text: string;
  /** The short form, for SMS. */
  short: string;
}

/** The message of a notice about `lot` (title and page address), or about the account. */
export function noticeMessage(kind: AccountNoticeKind, lot: { title: string; url: string } | null, accountUrl: string): NoticeMessage {
  const t = TEXTS[kind];
  const about = lot ? `「${lot.title}」` : "";
  const link = lot?.url ?? accountUrl;
  return {
    subject: `${t.zh.replace(/[，。].*$/, "")}${about}`.slice(0, 120),
    text: `${t.zh}\n${about}\n${link}\n\n${t.en}\n${link}\n`,
    short: `【司法拍卖】${t.zh}${about} ${link}`,
  };
}

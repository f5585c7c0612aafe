import nodemailer from "nodemailer";
import type { Logger } from "pino";
import type { LiveServer } from "../realtime/live.ts";
import type { ClaimedDelivery, NoticeSenders } from "../identity/index.ts";
import { mask } from "../identity/index.ts";
import { noticeMessage } from "./notice-mail.ts";
import { userRoom } from "../realtime/rooms.ts";

/** The lot titles a batch of messages names (auction's public read), and the site's address for links. */
export interface MessageContext {
  lotTitles(lotIds: string[]): Promise<Map<string, string>>;
  siteUrl(): string;
}

async function messagesFor(deliveries: readonly ClaimedDelivery[], context: MessageContext) {
  const titles = await context.lotTitles([...new Set(deliveries.flatMap((d) => (d.lotId ? [d.lotId] : [])))]);
  const site = context.siteUrl();
  return deliveries.map((d) => noticeMessage(d.kind, d.lotId ? { title: titles.get(d.lotId) ?? "", url: `${site}/lots/${d.lotId}` } : null, `${site}/notifications`));
}

/**
 * The senders of each channel:
 * - site: the bell's unread count, to the account's sockets on every node (room user:<id>, ADR 008's adapter);
 * - email: through the SMTP server at `smtpUrl` (none: e-mails stay in the outbox);
 * - sms: the simulated adapter, which writes the message to the log and sends nothing (no SMS provider is set up).
 */
export function noticeSenders(options: { io: LiveServer | null; smtpUrl: string | null; mailFrom: string; log: Logger; context: MessageContext }): NoticeSenders {
  const { io, smtpUrl, mailFrom, log, context } = options;
  const senders: NoticeSenders = {
    sms: async (deliveries) => {
      const messages = await messagesFor(deliveries, context);
      return deliveries.map((d, i) => {
        log.info({ channel: "sms", simulated: true, to: mask(d.phone ?? ""), text: messages[i]!.short }, "SMS (simulated, not sent)");
        return { status: "fulfilled", value: null };
      });
    },
  };
  if (io) {
    const live = io.of("/live");
    senders.site = async (deliveries) =>
      deliveries.map((d) => {
        live.to(userRoom(d.userId)).emit("notices:unread", { count: d.unread });
        return { status: "fulfilled", value: null };
      });
  }
  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl, { from: mailFrom });
    senders.email = async (deliveries) => {
      const messages = await messagesFor(deliveries, context);
      return Promise.allSettled(deliveries.map((d, i) => transport.sendMail({ to: d.email!, subject: messages[i]!.subject, text: messages[i]!.text })));
    };
  }
  return senders;
}

// Mailpit, the real local mail server e-mailed notices are checked against (ADR 023): SMTP at MAILPIT_SMTP_URL, its
// API at MAILPIT_URL. `.ci/run` installs and starts it; in CI a missing Mailpit fails the tests that need it.
export const MAILPIT_URL = process.env.MAILPIT_URL ?? "http://127.0.0.1:8025";
export const MAILPIT_SMTP_URL = process.env.MAILPIT_SMTP_URL ?? "smtp://127.0.0.1:1025";

export async function mailpitAnswers(): Promise<boolean> {
  try {
    return (await fetch(`${MAILPIT_URL}/api/v1/info`, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

export interface MailpitMessage {
  ID: string;
  Subject: string;
  To: { Address: string }[];
  Snippet: string;
}

/** The messages Mailpit holds for `address`, newest first. */
export async function messagesTo(address: string): Promise<MailpitMessage[]> {
  const answer = await fetch(`${MAILPIT_URL}/api/v1/search?query=${encodeURIComponent(`to:"${address}"`)}`);
  if (!answer.ok) throw new Error(`Mailpit search answered ${answer.status}`);
  return ((await answer.json()) as { messages: MailpitMessage[] }).messages;
}

/** A message's plain text. */
export async function messageText(id: string): Promise<string> {
  const answer = await fetch(`${MAILPIT_URL}/api/v1/message/${id}`);
  return ((await answer.json()) as { Text: string }).Text;
}

/** Waits until Mailpit holds at least `count` messages for `address`. */
export async function waitForMail(address: string, count = 1, timeoutMs = 10_000): Promise<MailpitMessage[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const messages = await messagesTo(address);
    if (messages.length >= count || Date.now() > until) return messages;
    await new Promise((r) => setTimeout(r, 200));
  }
}

import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

// `npm start` e-mails notices through Mailpit, a local mail server with a web inbox, when it is installed
// (`go install github.com/axllent/mailpit@latest`) and no SMTP_URL is given (ADR 023). Without it, e-mails stay
// in the outbox and the notification centre says so.
const SMTP = "127.0.0.1:1025";
const INBOX = "127.0.0.1:8025";

function mailpitBinary(): string | null {
  const onPath = spawnSync("sh", ["-c", "command -v mailpit"], { encoding: "utf8" }).stdout.trim();
  if (onPath) return onPath;
  const gopath = process.env.GOPATH ?? path.join(homedir(), "go");
  const installed = path.join(gopath, "bin", "mailpit");
  return existsSync(installed) ? installed : null;
}

const answers = (url: string) => fetch(url, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);

/** Points SMTP_URL at a running Mailpit, starting one if needed; returns a note for the console, or null. */
export async function useLocalMail(): Promise<string | null> {
  if (process.env.SMTP_URL) return null;
  const inbox = `http://${INBOX}`;
  if (!(await answers(`${inbox}/api/v1/info`))) {
    const binary = mailpitBinary();
    if (!binary) return "Mailpit is not installed: e-mailed notices stay in the outbox (go install github.com/axllent/mailpit@latest).";
    const child = spawn(binary, ["--smtp", SMTP, "--listen", INBOX], { stdio: "ignore" });
    process.on("exit", () => child.kill());
    for (let i = 0; i < 40 && !(await answers(`${inbox}/api/v1/info`)); i++) await new Promise((r) => setTimeout(r, 250));
    if (!(await answers(`${inbox}/api/v1/info`))) return "Mailpit did not start: e-mailed notices stay in the outbox.";
  }
  process.env.SMTP_URL = `smtp://${SMTP}`;
  return `E-mailed notices: ${inbox}`;
}

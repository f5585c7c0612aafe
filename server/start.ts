import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { useLocalMail } from "./local-mail.ts";

// `npm start`: build the site if the build is missing or older than its sources, start Mailpit when installed,
// then run the server.
const root = path.resolve(import.meta.dirname, "..");
const built = path.join(root, "build/server/index.js");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const sources = ["app", "core", "identity", "auction", "appraisal", "escrow", "db"].map((d) => path.join(root, d)).filter(existsSync);
const stale = !existsSync(built) || Math.max(...sources.map(newestSource)) > statSync(built).mtimeMs;
if (stale) {
  console.log("Building the site…");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/@react-router/dev/bin.cjs"), "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
const mailNote = await useLocalMail();
if (mailNote) console.log(mailNote);
await import("./main.ts");

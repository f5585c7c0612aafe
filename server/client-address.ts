import type { IncomingMessage } from "node:http";
import type { TrustProxy } from "./origin-guard.ts";

/**
 * The client's address as Express's req.ip finds it (the proxy-addr walk): from the peer back along
 * X-Forwarded-For, the first hop that TRUST_PROXY does not trust. For raw requests outside Express,
 * such as the Socket.IO handshake.
 */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  const forwarded = typeof req.headers["x-forwarded-for"] === "string" ? req.headers["x-forwarded-for"].split(",").map((a) => a.trim()).filter(Boolean) : [];
  const hops = [req.socket.remoteAddress ?? "", ...forwarded.reverse()];
  for (let i = 0; i < hops.length - 1; i++) if (!trust(hops[i]!, i)) return hops[i]!;
  return hops[hops.length - 1]!;
}

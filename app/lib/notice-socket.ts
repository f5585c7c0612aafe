import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../core/live-events.ts";

type NoticeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Watches the signed-in account's unread count: a /live socket that asks notices:watch on every (re)connection and
 * hears notices:unread. socket.io-client is loaded on demand, so pages without live bidding do not carry it in their
 * first load. Returns the stop function (for an effect's cleanup).
 */
export function watchUnreadNotices(onCount: (count: number) => void): () => void {
  let socket: NoticeSocket | null = null;
  let stopped = false;
  void import("socket.io-client").then(({ io }) => {
    if (stopped) return;
    socket = io("/live", { transports: ["websocket", "polling"] });
    const watch = () => socket?.timeout(10_000).emit("notices:watch", (err, res) => !err && res.ok && onCount(res.data.count));
    socket.on("connect", watch);
    socket.on("notices:unread", (event) => onCount(event.count));
  });
  return () => {
    stopped = true;
    socket?.disconnect();
  };
}

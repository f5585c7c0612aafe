import { lotOfRoom, lotRoom } from "../fanout.ts";
import type { LiveComponents, NoticeHandler } from "./handler.ts";

/** Socket.IO's own event as a socket goes away, still in its rooms: the lots it watched lose a watcher. */
export const disconnecting =
  ({ fanout }: Pick<LiveComponents, "fanout">): NoticeHandler =>
  (socket) => {
    for (const room of socket.rooms) {
      const lotId = lotOfRoom(room);
      if (lotId !== null && room === lotRoom(lotId)) fanout.watchersChanged(lotId);
    }
  };

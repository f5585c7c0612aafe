import { CLIENT_PAYLOADS } from "../../core/live-events.ts";
import { leaveLotRooms } from "../fanout.ts";
import type { LiveComponents, NoticeHandler } from "./handler.ts";

/** Stops watching a lot. Nobody is answered: a payload that does not fit is ignored. */
export const lotLeave =
  ({ fanout }: Pick<LiveComponents, "fanout">): NoticeHandler =>
  (socket, payload) => {
    const parsed = CLIENT_PAYLOADS["lot:leave"].safeParse(payload);
    if (!parsed.success) return;
    leaveLotRooms(socket, parsed.data.lotId);
    fanout.watchersChanged(parsed.data.lotId);
  };

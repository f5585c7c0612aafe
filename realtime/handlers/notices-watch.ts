import { AppError } from "../../core/errors.ts";
import { unreadNoticeCount } from "../../identity/index.ts";
import { overRate } from "../limits.ts";
import { userRoom } from "../rooms.ts";
import type { LiveComponents, RequestHandler } from "./handler.ts";

/** Signed-in only: the socket joins its account's room (notices:unread) and gets the unread count now. */
export const noticesWatch =
  ({ db, sessions, limits }: Pick<LiveComponents, "db" | "sessions" | "limits">): RequestHandler<"notices:watch"> =>
  async (socket) => {
    if (overRate(socket, "notices:watch", limits.whoamiPerMinute)) throw new AppError("RATE_LIMITED");
    const user = await sessions.current(socket);
    if (!user) throw new AppError("UNAUTHENTICATED");
    await socket.join(userRoom(user.id));
    return { count: await unreadNoticeCount(db, user.id) };
  };

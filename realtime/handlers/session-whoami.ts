import { AppError } from "../../core/errors.ts";
import type { LiveComponents, RequestHandler } from "./handler.ts";

/** Signed-in only: who this socket is signed in as, asked of the database every time (never the cached lookup). */
export const sessionWhoami =
  ({ sessions }: Pick<LiveComponents, "sessions">): RequestHandler<"session:whoami"> =>
  async (socket) => {
    const user = await sessions.current(socket);
    if (!user) throw new AppError("UNAUTHENTICATED");
    return { userId: user.id, displayName: user.displayName, role: user.role };
  };

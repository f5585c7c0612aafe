import { AppError } from "../../core/errors.ts";
import type { LiveComponents, RequestHandler } from "./handler.ts";
import { overRate } from "../limits.ts";

/** Signed-in only: who this socket is signed in as, asked of the database every time (never the cached lookup). */
export const sessionWhoami =
  ({ sessions, limits }: Pick<LiveComponents, "sessions" | "limits">): RequestHandler<"session:whoami"> =>
  async (socket) => {
    if (overRate(socket, "session:whoami", limits.whoamiPerMinute)) throw new AppError("RATE_LIMITED");
    const user = await sessions.current(socket);
    if (!user) throw new AppError("UNAUTHENTICATED");
    return { userId: user.id, displayName: user.displayName, role: user.role };
  };

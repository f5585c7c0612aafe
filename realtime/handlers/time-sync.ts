import type { LiveComponents, RequestHandler } from "./handler.ts";

/** Anyone: the server's clock, so countdowns do not trust the browser's. */
export const timeSync =
  ({ clock }: Pick<LiveComponents, "clock">): RequestHandler<"time:sync"> =>
  () => ({ now: clock.now().toISOString() });

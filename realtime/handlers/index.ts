import type { Logger } from "pino";
import { isAppError } from "../../core/errors.ts";
import { CLIENT_PAYLOADS, type Ack } from "../../core/live-events.ts";
import { refusal } from "../wire.ts";
import { isDatabaseUnavailable } from "../../core/database-unavailable.ts";
import { bidPlace } from "./bid-place.ts";
import { disconnecting } from "./disconnecting.ts";
import type { LiveComponents, LiveSocket, NoticeHandler, RequestEvent, RequestHandler } from "./handler.ts";
import { lotJoin } from "./lot-join.ts";
import { lotLeave } from "./lot-leave.ts";
import { sessionWhoami } from "./session-whoami.ts";
import { noticesWatch } from "./notices-watch.ts";
import { timeSync } from "./time-sync.ts";

/**
 * Every event a /live socket handles, one module each, made once from the components (the shape of
 * Socket.IO's "basic CRUD" example). Requests are answered through their ack; notices are not.
 */
export function liveHandlers(c: LiveComponents) {
  return {
    requests: {
      "time:sync": timeSync(c),
      "session:whoami": sessionWhoami(c),
      "lot:join": lotJoin(c),
      "bid:place": bidPlace(c),
      "notices:watch": noticesWatch(c),
    } satisfies { [E in RequestEvent]: RequestHandler<E> },
    notices: {
      "lot:leave": lotLeave(c),
      disconnecting: disconnecting(c),
    } satisfies Record<string, NoticeHandler>,
  };
}

export type LiveHandlers = ReturnType<typeof liveHandlers>;

/** Wires one socket's events to the handlers. */
export function listen(socket: LiveSocket, handlers: LiveHandlers, log: Logger): void {
  for (const [event, handle] of Object.entries(handlers.requests) as [RequestEvent, RequestHandler<RequestEvent>][]) {
    // A message with a payload sends it before the ack; the others send the ack alone.
    const hasPayload = Object.hasOwn(CLIENT_PAYLOADS, event);
    const listener = (...args: unknown[]) => {
      const ack = args[hasPayload ? 1 : 0];
      if (typeof ack !== "function") return; // nobody to answer
      void answer(ack as Ack<unknown>, event, () => handle(socket, hasPayload ? args[0] : undefined), log);
    };
    socket.on(event, listener as never);
  }
  for (const [event, handle] of Object.entries(handlers.notices)) socket.on(event as "lot:leave", ((payload: unknown) => handle(socket, payload)) as never);
}

/** Runs a request's handler and acks with its data, a refusal's code, SERVICE_UNAVAILABLE, or INTERNAL for anything else (logged). */
async function answer(ack: Ack<unknown>, event: string, run: () => unknown, log: Logger): Promise<void> {
  try {
    ack({ ok: true, data: await run() });
  } catch (error) {
    if (isAppError(error)) return ack(refusal(error.code));
    // Nothing was done; the client may send it again. The server logs the outage once (ADR 017).
    if (isDatabaseUnavailable(error)) return ack(refusal("SERVICE_UNAVAILABLE"));
    log.error({ err: error, event }, "live handler failed");
    ack(refusal("INTERNAL"));
  }
}

import { PassThrough } from "node:stream";
import type { EntryContext, HandleErrorFunction, RouterContextProvider } from "react-router";
import { createReadableStreamFromReadable } from "@react-router/node";
import { isRouteErrorResponse, ServerRouter } from "react-router";
import { isbot } from "isbot";
import { renderToPipeableStream, type RenderToPipeableStreamOptions } from "react-dom/server";
import { isDatabaseUnavailable } from "../core/database-unavailable.ts";
import { databaseFaultContext, requestInfoContext, servicesContext } from "./services.ts";

// The server process builds the load context through the server build, so it shares this
// bundle's context keys instead of importing app/ itself.
export { createLoadContext } from "./services.ts";

export const streamTimeout = 5_000;

/**
 * Every error of a loader, action or middleware passes here before React Router answers 500. An unreachable
 * database is marked on the request, and the root middleware answers 503 instead (ADR 017); the server
 * logs the outage once, not each request that met it. Anything else is logged as React Router would.
 */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (isDatabaseUnavailable(error)) {
    const provider = context as RouterContextProvider | undefined;
    const fault = provider?.get(databaseFaultContext);
    if (fault) fault.unavailable = true;
    provider?.get(servicesContext).reportOutage(error);
    return;
  }
  // As React Router's own handler: quiet under NODE_ENV=test and for requests the client abandoned.
  if (process.env.NODE_ENV !== "test" && !request.signal.aborted) console.error((isRouteErrorResponse(error) && (error as { error?: unknown }).error) || error);
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: RouterContextProvider,
) {
  if (request.method.toUpperCase() === "HEAD") {
    return new Response(null, { status: responseStatusCode, headers: responseHeaders });
  }
  const nonce = loadContext.get(requestInfoContext).cspNonce;

  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const userAgent = request.headers.get("user-agent");
    // Bots get the whole page at once; people get it streamed.
    const readyOption: keyof RenderToPipeableStreamOptions = userAgent && isbot(userAgent) ? "onAllReady" : "onShellReady";
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(), streamTimeout + 1000);

    const { pipe, abort } = renderToPipeableStream(<ServerRouter context={routerContext} url={request.url} nonce={nonce} />, {
      nonce,
      [readyOption]() {
        shellRendered = true;
        const body = new PassThrough({
          final(callback) {
            clearTimeout(timeoutId);
            timeoutId = undefined;
            callback();
          },
        });
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        pipe(body);
        resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        if (shellRendered) console.error(error);
      },
    });
  });
}

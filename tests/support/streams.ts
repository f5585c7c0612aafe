// A client that sends a body as a real chunked stream, chunk by chunk with backpressure, and stops writing
// as soon as the server answers: what it wrote by then shows whether the server waited for the whole body.
import { request } from "node:http";

export interface StreamedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Body bytes the client had handed to its socket when the answer came. */
  written: number;
}

export function streamBody(
  url: string,
  options: { method?: string; headers?: Record<string, string>; total: number; chunk?: Buffer; declaredLength?: number },
): Promise<StreamedAnswer> {
  const chunk = options.chunk ?? Buffer.alloc(64 * 1024, "a");
  const headers: Record<string, string> = { ...options.headers };
  if (options.declaredLength !== undefined) headers["content-length"] = String(options.declaredLength);
  else headers["transfer-encoding"] = "chunked";
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = request(url, { method: options.method ?? "POST", headers });
    req.on("response", (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString("utf8"), written }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString("utf8"), written }));
    });
    // Once answered, the server may close the connection under the rest of the body: that is the point.
    req.on("error", (error) => {
      if (!answered) reject(new Error(`${options.method ?? "POST"} ${url}: ${error.message} after ${written} bytes`, { cause: error }));
    });
    const pump = () => {
      while (!answered && written < options.total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, options.total - written));
        written += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      if (!answered && options.declaredLength === undefined) req.end();
    };
    if (options.total === 0) req.flushHeaders();
    else pump();
  });
}

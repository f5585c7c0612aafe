/**
 * R4 needs memory numbers that do not depend on when V8 last collected garbage: the servers run with
 * `--inspect=127.0.0.1:0`, and this connects to the inspector (Chrome DevTools Protocol over a
 * loopback websocket) to force a full GC and read process.memoryUsage().
 */
import type { Child } from "./procs.ts";
import { sleep } from "./procs.ts";

export interface Inspector {
  gc(): Promise<void>;
  memory(): Promise<NodeJS.MemoryUsage>;
  close(): void;
}

export async function inspect(child: Child, timeoutMs = 10_000): Promise<Inspector> {
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (!(url = /Debugger listening on (ws:\/\/\S+)/.exec(child.output())?.[1])) {
    if (Date.now() > deadline) throw new Error(`${child.name}: no inspector URL in its output`);
    await sleep(50);
  }
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve(), { once: true });
    ws.addEventListener("error", () => reject(new Error(`${child.name}: inspector connection failed`)), { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
    if (message.id !== undefined) pending.delete(message.id);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`${child.name}: inspector ${method} timed out`)), timeoutMs);
      pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    async gc() {
      await call("HeapProfiler.collectGarbage");
    },
    async memory() {
      const result = (await call("Runtime.evaluate", { expression: "JSON.stringify(process.memoryUsage())", returnByValue: true })) as { result: { value: string } };
      return JSON.parse(result.result.value) as NodeJS.MemoryUsage;
    },
    close: () => ws.close(),
  };
}

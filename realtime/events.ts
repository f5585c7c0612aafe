/** Event maps shared by the server and its clients (Socket.IO's typed events). */
export type Ack<T> = (response: { ok: true; data: T } | { ok: false; code: string; message: string }) => void;

export interface ClientToServerEvents {
  /** Anyone: the server's clock, so countdowns do not trust the browser's. */
  "time:sync": (ack: Ack<{ now: string }>) => void;
  /** Signed-in only: who this socket is signed in as (checked against the session on every call). */
  "session:whoami": (ack: Ack<{ userId: string; displayName: string; role: string }>) => void;
}

export type ServerToClientEvents = Record<string, never>;

export interface SocketData {
  /** The session token from the handshake cookie; re-checked on each signed-in event. */
  sessionToken: string | null;
}

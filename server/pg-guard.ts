import pg from "pg";

const GUARDED = Symbol.for("judicial-auction.pg-client-guard");
const ignore = () => {};

/**
 * node-postgres (under pg-boss and the live adapter) ends a client that was released with an error, and
 * the server may still send that client a FATAL (57P01 when it shuts down): an 'error' event with no
 * listener, which ends the whole process. Every client gets a listener for it, so a stopped database
 * means 503s, not a crash; the error still rejects whatever query met it, and pools still drop the client.
 */
export function guardPgClients() {
  const proto = pg.Client.prototype as pg.Client & { [GUARDED]?: true };
  if (proto[GUARDED]) return;
  proto[GUARDED] = true;
  const connect = proto.connect as (this: pg.Client, ...args: unknown[]) => unknown;
  proto.connect = function (this: pg.Client, ...args: unknown[]) {
    this.on("error", ignore);
    return connect.apply(this, args);
  } as typeof proto.connect;
}

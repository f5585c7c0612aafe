/**
 * What-if (bench only, `--profile`): preloaded into the app server (`node --import`), makes every
 * drizzle query a prepared statement. drizzle's postgres-js driver sends `prepare: false` unless a
 * query was built with `.prepare(name)`; postgres.js then describes each statement with parameters
 * before running it — two round trips instead of one, most of them while the lot's row lock is held.
 * Nothing in the repository changes; this shows what passing `prepare: true` would buy.
 */
import { PostgresJsSession } from "drizzle-orm/postgres-js/session";

type PrepareQuery = (...args: unknown[]) => unknown;
const original = PostgresJsSession.prototype.prepareQuery as unknown as PrepareQuery;
(PostgresJsSession.prototype as unknown as { prepareQuery: PrepareQuery }).prepareQuery = function (this: unknown, query: unknown, fields: unknown, name: unknown, ...rest: unknown[]) {
  // A name (any, even "") makes the driver pass prepare: true; postgres.js caches the statement per connection.
  return original.call(this, query, fields, name ?? "", ...rest);
};

import { formatFen } from "../../core/money.ts";

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000; // China has no daylight saving time.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat costs far more than using one, and a page formats dozens of dates: one each. */
const STYLES = {
  date: { dateStyle: "medium" },
  minutes: { dateStyle: "medium", timeStyle: "short" },
  seconds: { dateStyle: "medium", timeStyle: "medium" },
  clock: { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

function formatter(lang: string, kind: keyof typeof STYLES): Intl.DateTimeFormat {
  const key = `${lang === "en" ? "en" : "zh"}:${kind}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "zh-CN", { timeZone: "Asia/Shanghai", ...STYLES[kind] });
    formatters.set(key, f);
  }
  return f;
}

/** "10:04:33" in Asia/Shanghai. */
export function clockTime(iso: string, lang: string): string {
  return formatter(lang, "clock").format(new Date(iso));
}

/** Dates for people are shown in Asia/Shanghai, whatever the server's or browser's zone. */
export function formatDateTime(iso: string, lang: string, options: { seconds?: boolean } = {}): string {
  return formatter(lang, options.seconds ? "seconds" : "minutes").format(new Date(iso));
}

/** A calendar date in Asia/Shanghai, for dates without a time of day (valid from / until). */
export function formatDate(iso: string, lang: string): string {
  return formatter(lang, "date").format(new Date(iso));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A deadline. A period of days ends at 24:00 Beijing time of its last day, which is the instant 00:00 of the next
 * day; people read "30 Nov 00:00" as the start of the 30th, so such an instant is written "29 Nov 24:00", the same
 * in every portal. Other instants are shown as they are.
 */
export function formatDue(iso: string, lang: string): string {
  const ms = new Date(iso).getTime();
  if ((ms + SHANGHAI_OFFSET_MS) % DAY_MS !== 0) return formatDateTime(iso, lang);
  return `${formatDate(new Date(ms - 1).toISOString(), lang)} 24:00`;
}

/** Integer fen as a decimal string (how amounts travel from loaders) shown as "¥1,234.56". */
export function formatFenText(fen: string | bigint): string {
  return formatFen(typeof fen === "bigint" ? fen : BigInt(fen));
}

/** Fen as yuan for a form field, without the currency sign: "1234.56". */
export function fenToYuanInput(fen: string | bigint): string {
  const v = typeof fen === "bigint" ? fen : BigInt(fen);
  const cents = v % 100n;
  return cents === 0n ? (v / 100n).toString() : `${v / 100n}.${cents.toString().padStart(2, "0")}`;
}

/** An instant as the value of a `datetime-local` input, in Asia/Shanghai: "2026-12-27T10:00". */
export function toShanghaiInput(iso: string | Date): string {
  const t = typeof iso === "string" ? new Date(iso).getTime() : iso.getTime();
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What a person typed in a date or `datetime-local` input, read as Asia/Shanghai time, as an ISO
 * instant. A date alone means the start of that day, or its last millisecond with `endOfDay`.
 * Anything else becomes "invalid", which the schemas refuse as a bad date.
 */
export function fromShanghaiInput(value: unknown, options: { endOfDay?: boolean } = {}): string {
  if (typeof value !== "string") return "invalid";
  const v = value.trim();
  const dt = DATE_TIME.exec(v);
  let date: Date;
  if (dt) date = new Date(`${dt[1]}T${dt[2]}${dt[3] ?? ":00"}+08:00`);
  else if (DATE_ONLY.test(v)) date = new Date(`${v}T${options.endOfDay ? "23:59:59.999" : "00:00:00"}+08:00`);
  else return "invalid";
  // Reject dates that JavaScript would roll over, such as 2026-02-30.
  if (Number.isNaN(date.getTime()) || toShanghaiInput(date).slice(0, 10) !== v.slice(0, 10)) return "invalid";
  return date.toISOString();
}

export interface Remaining {
  days: number;
  hours: number;
  minutes: number;
}

/** Whole days, hours and minutes from `from` to `to` (rounded up to the minute); null once `to` has passed. */
export function remainingTime(from: string, to: string): Remaining | null {
  const ms = new Date(to).getTime() - new Date(from).getTime();
  if (ms <= 0) return null;
  const totalMinutes = Math.ceil(ms / 60_000);
  return { days: Math.floor(totalMinutes / 1440), hours: Math.floor((totalMinutes % 1440) / 60), minutes: totalMinutes % 60 };
}

/** Values a loader can send: integer fen (bigint) as decimal strings, instants as ISO strings. */
export type Plain<T> = T extends bigint
  ? string
  : T extends Date
    ? string
    : T extends readonly (infer U)[]
      ? Plain<U>[]
      : T extends object
        ? { [K in keyof T]: Plain<T[K]> }
        : T;

export function toPlain<T>(value: T): Plain<T> {
  if (typeof value === "bigint") return value.toString() as Plain<T>;
  if (value instanceof Date) return value.toISOString() as Plain<T>;
  if (Array.isArray(value)) return value.map((v: unknown) => toPlain(v)) as Plain<T>;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)])) as Plain<T>;
  }
  return value as Plain<T>;
}

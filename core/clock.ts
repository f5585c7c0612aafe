// Code that needs the current time takes a Clock, so tests can pin and move time
// (auction start/end, session expiry) without sleeping or mocking globals.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A manually driven clock for tests. Always hands out copies so callers can't move it. */
export class TestClock implements Clock {
  private current: number;

  constructor(start: Date) {
    this.current = checkedTime(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(date: Date): void {
    this.current = checkedTime(date);
  }

  /** Moves forward by `ms`; use set() to go backwards deliberately. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Cannot advance clock by ${ms} ms`);
    this.current += ms;
  }
}

function checkedTime(date: Date): number {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError("Invalid Date");
  return time;
}

/**
 * Real time shifted by a settable offset: time keeps running, but a browser test can jump to an
 * auction's start or close. Only the server started with TEST_CLOCK=1 (never in production) uses it.
 */
export class OffsetClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  set(date: Date): void {
    this.offsetMs = checkedTime(date) - Date.now();
  }
}

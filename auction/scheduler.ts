/** Timed work the auction asks of the job runner (pg-boss in the server). */
export interface LotScheduler {
  /** Run the close of `lotId` at `at` (or soon after); running it early or twice is harmless. */
  scheduleClose(lotId: string, at: Date): Promise<void>;
}

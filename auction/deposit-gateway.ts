import { randomUUID } from "node:crypto";

export type DepositResult = { status: "paid"; reference: string } | { status: "pending"; reference: string };

/**
 * The port through which a registration's deposit is taken (C2). The escrow context provides the
 * real implementation (payments, freezing, release); until then the demo gateway below serves.
 */
export interface DepositGateway {
  readonly id: string;
  /** Shown to bidders: a demo gateway moves no money. */
  readonly isDemo: boolean;
  collect(request: { registrationId: string; amountFen: bigint; payerName: string }): Promise<DepositResult>;
}

/** Demo payment method: records the deposit as paid at once. Marked as a demo everywhere it is shown. */
export const demoDepositGateway: DepositGateway = {
  id: "demo",
  isDemo: true,
  async collect() {
    return { status: "paid", reference: `DEMO-${randomUUID()}` };
  },
};

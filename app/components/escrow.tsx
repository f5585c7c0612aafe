import { Money, SummaryList } from "./auction.tsx";

/** A case's escrow balances: held now, and money on its way in or out (the case page and the distribution page). */
export function EscrowSummary({ escrow }: { escrow: { heldFen: string; incomingFen: string; outgoingFen: string } }) {
  return (
    <SummaryList
      testId="escrow-balance"
      rows={[
        ["escrow.held", <Money fen={escrow.heldFen} key="h" />],
        ["escrow.incoming", <Money fen={escrow.incomingFen} key="i" />],
        ["escrow.outgoing", <Money fen={escrow.outgoingFen} key="o" />],
      ]}
    />
  );
}

// The appraisal context: the agency and platform pools, the verifiable draw, and the four ways of
// fixing an asset's reference price (RULEBOOK section A, P6, P7). Other layers import only this file.

// Pool and draw: parties, the agency pool, inquiry platforms, the verifiable draw (A6, A12, A13, P5, P6).
export { partyOf, partiesOf, type CaseParty } from "./parties.ts";

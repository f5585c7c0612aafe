// The appraisal context: the agency and platform pools, the verifiable draw, and the four ways of
// fixing an asset's reference price (RULEBOOK section A, P6, P7). Other layers import only this file.

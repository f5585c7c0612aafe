export * from "./identity.ts";
export * from "./audit.ts";
export * from "./auction.ts";
export * from "./appraisal.ts";
export * from "./escrow.ts";
export * from "./simulated-gateway.ts";

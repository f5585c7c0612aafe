// The rules the platform enforces or cites, by the IDs of the rulebook (A1, D3, P4 …) that code comments and
// test titles name: what each requires, in this project's words, and where the law says it. The rulebook
// itself lives beside the repository; this table is what a clone carries. `npm run rules` renders it, with
// the files and tests that name each ID, as docs/rules.md; tests/unit/rules-table.test.ts fails when an ID
// named in code or in a test title is missing here. The numbers themselves live in core/ruleset.ts.

/** The instruments the sources cite, by the rulebook's abbreviations. */
export const INSTRUMENTS = {
  OJA: "网络司法拍卖规定 (SPC, online judicial auctions), 法释〔2016〕18号",
  RP: "确定财产处置参考价规定 (SPC, reference prices for disposing of property), 法释〔2018〕15号",
  AS: "民事执行中拍卖、变卖财产的规定 (SPC, auctions and sale-offs in civil enforcement), 法释〔2004〕16号, amended by 法释〔2020〕21号",
  HQ: "司法拍卖房产竞买人资格规定 (SPC, eligibility of bidders for housing in judicial auctions), 2022",
  CPL: "民事诉讼法 (Civil Procedure Law), 2023",
  CPLI: "民诉法解释 (SPC interpretation of the Civil Procedure Law), 2022",
  EW: "执行工作若干问题的规定（试行） (SPC, enforcement work), 2020",
  EF: "执行款物管理工作的规定 (SPC, management of execution money and goods), 法发〔2017〕6号; its text was not found, its content is known from courts' rules",
  V06: "执行款物管理工作的规定（试行）, 法发〔2006〕11号, the trial version of EF",
} as const;

export type Instrument = keyof typeof INSTRUMENTS;

/** The rulebook's sections, in its order. */
export const RULE_GROUPS = {
  A: "Reference price and appraisal",
  B: "Announcement and lot set-up",
  C: "Registration, deposits, eligibility",
  D: "Bidding",
  E: "Closing, winner, priority purchasers",
  F: "Payment, default, re-auction, failed auction, sale-off",
  G: "Suspension, stay, withdrawal, revocation",
  H: "Funds and escrow",
  I: "Anonymity and anti-collusion",
  P: "Platform policies (where the law is silent, conflicting or unverified)",
} as const;

type N7 = 1 | 2 | 3 | 4 | 5 | 6 | 7;
type N8 = N7 | 8;
type N9 = N8 | 9;
type N11 = N9 | 10 | 11;
type N12 = N11 | 12;
type N14 = N12 | 13 | 14;
type N17 = N14 | 15 | 16 | 17;
type N28 = N17 | 18 | 19 | 20 | 21 | 22 | 23 | 24 | 25 | 26 | 27 | 28;

/** Every ID the rulebook defines: a typo ("A29", "D9") is a type error in the table below. */
type RulebookId = `A${N28}` | `B${N14}` | `C${N11}` | `D${N8}` | `E${N9}` | `F${N12}` | `G${N7}` | `H${N8}` | `I${N8}` | `P${N17}`;

/** An article of an instrument, as the rulebook cites it: "RP 19", "OJA 14(2)". */
type Citation = `${Instrument} ${string}`;

export interface Rule {
  /** What the rule requires, in one line. */
  requires: string;
  /** Where the law says it; the P rules are this platform's own policy where the law is silent or unclear. */
  source: readonly Citation[] | "platform policy";
}

/** A P rule cites no law; every other rule cites at least one article. */
type Entry<Id extends RulebookId> = Id extends `P${string}`
  ? { requires: string; source: "platform policy" }
  : { requires: string; source: readonly [Citation, ...Citation[]] };

export const RULES = {
  A1: { requires: "The court starts fixing an asset's reference price within 30 days of seizing it; a later start is recorded as late.", source: ["RP 1"] },
  A2: { requires: "Before any pricing method, the asset's title, encumbrances, occupancy, unpaid taxes and defects are established; the price then comes from negotiation, directed inquiry, online inquiry or appraisal.", source: ["RP 2–3"] },
  A3: { requires: "Negotiation: matching figures from both parties by the court's deadline are the reference price; a party refusing or out of reach ends it.", source: ["RP 4"] },
  A4: { requires: "Directed inquiry, when negotiation fails and the asset has a tax base price or a government-set or -guided price: the answer given in time is the reference price.", source: ["RP 5–6"] },
  A5: { requires: "Online inquiry, when directed inquiry fails, no inspection or expert examination is needed and the asset suits online pricing, or when both parties choose it.", source: ["RP 7"] },
  A6: { requires: "Inquiry platforms come from the SPC's list; a platform late with 5 reports within a year is struck off and barred for 5 years.", source: ["RP 8–9"] },
  A7: { requires: "An online inquiry goes to every listed platform at once.", source: ["RP 10"] },
  A8: { requires: "Platforms report within 3 days; when none reported in time, those that asked get one 3-day extension, and when none asked, the court turns to appraisal.", source: ["RP 11"] },
  A9: { requires: "Errors of fact or scope are corrected within 3 days, and only when every report has one.", source: ["RP 12"] },
  A10: { requires: "The reference price is the mean of the valid platform results; a report under objection drops out, unless every report was objected to.", source: ["RP 13"] },
  A11: { requires: "Appraisal is used when the law requires it, when both parties ask for it, or when online inquiry fails.", source: ["RP 14"] },
  A12: { requires: "Agencies come from the judicial appraisal list, split by specialty into provincial and city sub-lists; a removed agency is barred for 5 years.", source: ["RP 15"] },
  A13: { requires: "Three agencies and their ranking are agreed by the parties, or else drawn by lot from the sub-list where the asset lies.", source: ["RP 16"] },
  A14: { requires: "The first-ranked agency is commissioned; its report states the method, the result and the validity period.", source: ["RP 17–18"] },
  A15: { requires: "The report is due in 30 days, suspensions not counted; an extension is asked at least 5 days before the deadline, at most twice, for at most 15 days each.", source: ["RP 19"] },
  A16: { requires: "An agency that misses its deadline without an approved extension returns the materials within 3 days, and the next-ranked agency is commissioned.", source: ["RP 19"] },
  A17: { requires: "If the first auction is not announced within the price's validity, a new report is needed: within 15 days from an agency, 3 from a platform.", source: ["RP 19", "RP 11"] },
  A18: { requires: "A report's defects (facts, scope, or a signing agency or appraiser other than the one chosen) are explained or corrected within 3 days.", source: ["RP 20"] },
  A19: { requires: "Reports reach the parties within 3 days; a report that cannot be served is posted on 中国执行信息公开网 and counts as served 15 days later.", source: ["RP 21"] },
  A20: { requires: "A procedural objection is made in writing within 5 days of receiving the report; the court decides within 15 days, and review may be sought within 10.", source: ["RP 22", "CPL 236"] },
  A21: { requires: "A technical objection also has 5 days; the court forwards it within 3, the agency answers within 5, and failing that an industry association reviews the report.", source: ["RP 23"] },
  A22: { requires: "Late objections, and objections to a negotiated or directed price, are not taken; fraud or collusion may be raised until the first auction is announced.", source: ["RP 24–25"] },
  A23: { requires: "A reference price is valid for at most a year; it still serves if the first auction was announced within that year and the sale follows within 6 months of its expiry.", source: ["RP 27"] },
  A24: { requires: "The court suspends an inquiry or appraisal while the case is suspended or stayed or the materials are wrong, and withdraws it when the application is withdrawn, the debt paid or the judgment set aside.", source: ["RP 28–29"] },
  A25: { requires: "The sale starts within 10 days of the reference price being fixed, and the starting price is set with reference to it.", source: ["RP 30"] },
  A26: {
    requires: "The inquiry fee goes to the platform closest to the deal price, split on a tie; the appraisal fee is based on the lower of the appraised value and the deal price, or on actual costs if nothing sells; a re-issued report earns 30%. The creditor advances the fees and the debtor bears them.",
    source: ["RP 31–33"],
  },
  A27: { requires: "Every step of an inquiry or appraisal, the draw included, is recorded and kept.", source: ["RP 34"] },
  B1: { requires: "Online auction is the default way to sell, and the whole process is public.", source: ["OJA 2–3"] },
  B3: { requires: "The starting price is the reserve price, and is at least 70% of the reference price.", source: ["OJA 10"] },
  B5: { requires: "A first auction is announced at least 15 days ahead for movables and 30 days for real property and other property rights.", source: ["OJA 12"] },
  B6: { requires: "A second auction is announced at least 7 days ahead for movables and 15 days for real property.", source: ["OJA 26"] },
  B7: { requires: "The announcement states the property, price, deposit, bidder conditions, known defects, rights and duties, time, platform and court; its versions stay visible.", source: ["OJA 12"] },
  B8: { requires: "From the announcement the lot shows the judgment, the pricing basis, the bidding terms, the property's state, priority holders, whether the parties were notified, the deposit, taxes and the court's contacts.", source: ["OJA 13"] },
  B9: { requires: "The lot carries the required warnings, among them that the buyer's identity will be published and a defaulter's deposit is not refunded.", source: ["OJA 14"] },
  B10: { requires: "Parties and known priority holders are notified at least 3 days before the announcement; one out of reach is deemed notified 5 days after the reason is posted.", source: ["OJA 16"] },
  B11: { requires: "A collegial panel decides the starting price, increments, deposit, and the priority holders' standing and order.", source: ["OJA 27"] },
  B12: { requires: "With the required disclosure and disclaimer, the court gives no warranty for defects.", source: ["OJA 15"] },
  B14: { requires: "A housing lot's announcement requires the buyer's house-purchase eligibility.", source: ["HQ 2"] },
  C1: { requires: "The deposit is 5%–20% of the starting price.", source: ["OJA 17"] },
  C2: { requires: "The deposit is paid in the bidder's real name before bidding: no deposit, no bidding.", source: ["OJA 17"] },
  C3: { requires: "An applicant creditor pays no deposit, except the part its claim does not cover.", source: ["OJA 17"] },
  C4: { requires: "Once the deposit is confirmed the bidder gets a bidder code, and bids under it.", source: ["OJA 18"] },
  C5: { requires: "There is no limit on the number of bidders.", source: ["OJA 11"] },
  C6: { requires: "Bidders have full civil capacity and any required qualification; a proxy is confirmed by the court before bidding.", source: ["OJA 14", "AS 12"] },
  C7: { requires: "The enforcing court, the platform, the appraisers and other auxiliary bodies, their staff and close relatives may not bid.", source: ["OJA 34", "CPLI 488"] },
  C8: { requires: "A winner who defaulted may not bid when the same asset is auctioned again.", source: ["OJA 24"] },
  C9: { requires: "The debtor may bid; whether it may is a per-court setting (P1).", source: ["AS 12"] },
  C11: { requires: "Bidders for housing under purchase restrictions are refused; eligibility is promised and must hold until the sale ruling.", source: ["HQ 1–3"] },
  D1: { requires: "Bids rise from the starting price in whole increments; a bid below the start is invalid.", source: ["OJA 20"] },
  D2: { requires: "Bidding lasts at least 24 hours.", source: ["OJA 20"] },
  D3: { requires: "A bid in the last 5 minutes moves the close to 5 minutes after it, with no cap; without one, the last bid wins.", source: ["OJA 20"] },
  D4: { requires: "A bid's time is when it reaches the platform's server.", source: ["OJA 20"] },
  D5: { requires: "Bidder codes and bids are shown as they happen, and the full history is kept and shown.", source: ["OJA 20"] },
  D6: { requires: "A single bidder at or above the starting price wins.", source: ["OJA 11"] },
  D7: { requires: "The platform does not obstruct or monitor bidders, nor interrupt the service without cause.", source: ["OJA 8"] },
  D8: { requires: "The auction's records are kept for at least 10 years.", source: ["OJA 29"] },
  E1: { requires: "A priority holder bids only once the court has confirmed it, under a priority code of its court-set rank.", source: ["OJA 19"] },
  E2: { requires: "A priority holder may match the top bid, and wins if no one goes higher.", source: ["OJA 21"] },
  E3: { requires: "At an equal price the higher rank wins; between equal ranks, the earlier bid.", source: ["OJA 21"] },
  E4: { requires: "A notified priority holder who does not take part has waived.", source: ["OJA 16", "AS 11"] },
  E5: { requires: "The platform generates and publishes the confirmation, naming the buyer.", source: ["OJA 22"] },
  E6: { requires: "Ownership passes when the sale ruling is served.", source: ["OJA 22", "AS 26", "CPLI 491"] },
  E7: { requires: "The sale ruling is served within 10 days of full payment, and the asset handed over within 15 days of service.", source: ["AS 20", "AS 27"] },
  E8: { requires: "Housing: no sale ruling for a buyer who is not eligible to buy; fabricated eligibility makes the sale void.", source: ["HQ 3–4"] },
  F1: { requires: "Losing bidders' deposits, and all deposits of a lot that does not sell, are released within 24 hours of the close; the winner's counts towards the price.", source: ["OJA 23"] },
  F2: { requires: "The winner's deposit is moved to the court's account within 24 hours of the close.", source: ["OJA 25"] },
  F3: { requires: "The balance is due within the period the announcement states.", source: ["OJA 25", "AS 21"] },
  F4: { requires: "A winner who defaults forfeits the whole deposit, applied to costs, any re-auction shortfall, then the debts.", source: ["OJA 24"] },
  F5: { requires: "Offline, a defaulter's deposit pays the shortfall, costs and commission, and any surplus is refunded.", source: ["AS 22"] },
  F6: { requires: "A lot with no bid fails (流拍); the re-auction follows within 30 days on the same platform, at most 20% cheaper.", source: ["OJA 26"] },
  F7: { requires: "After a failed auction a creditor may take the asset at that auction's reserve (以物抵债); equal ranks are decided by lot.", source: ["AS 16"] },
  F8: { requires: "When the second online auction fails, the asset goes to a sale-off (变卖) on the same platform.", source: ["OJA 26"] },
  F9: { requires: "Sale-off: announced within 15 days of the second failure, open 60 days at the second auction's start, the price prepaid in full; the first bid opens a 24-hour round with the 5-minute rule (details from platform practice).", source: ["OJA 26"] },
  F12: { requires: "Housing: a creditor not eligible to buy may not take the house as 以物抵债.", source: ["HQ 5"] },
  G1: { requires: "When grounds arise during bidding, the court suspends (暂缓) or stays (中止) the auction.", source: ["OJA 28"] },
  G2: { requires: "For a system fault or a security risk the platform may suspend first, and reports to the court at once.", source: ["OJA 28"] },
  G3: { requires: "The reasons are posted on the platform, and the auction resumes within 5 days of the cause ending.", source: ["OJA 28"] },
  G4: { requires: "While an execution objection or review is pending the court may suspend or stay; for a third party's objection to the asset it must.", source: ["OJA 36", "CPL 236", "CPL 238"] },
  G5: { requires: "A lot is withdrawn (撤回) before its start when the judgment is set aside, the application withdrawn, the debt paid, the parties settle, a third party's objection holds or the auction house colludes.", source: ["AS 17", "AS 19"] },
  G6: { requires: "No rule governs deposits after a suspension, stay or withdrawal; the 24-hour release of OJA 23 applies.", source: ["OJA 23"] },
  G7: { requires: "A sale is revoked (撤销) on objection for seriously false disclosures, a system fault, collusion, an unqualified buyer, unequal treatment of bidders or another serious breach.", source: ["OJA 31"] },
  H1: { requires: "The court holds a dedicated account for online-auction money.", source: ["OJA 6"] },
  H2: { requires: "The platform's payment system freezes and releases deposits and transfers funds within the 24-hour limits.", source: ["OJA 8", "OJA 17", "OJA 23", "OJA 25"] },
  H3: { requires: "Costs are deducted first and any surplus goes to the debtor.", source: ["EW 34"] },
  H4: { requires: "Execution money sits in an execution-fund account, accounted for separately and used only for its purpose.", source: ["EF (as courts apply it)", "V06 Art 2"] },
  H5: { requires: "One case, one account number: each payment maps to a case, a payer and a purpose.", source: ["EF (as courts apply it)"] },
  H6: { requires: "Ledgers are kept per case, and the case file records the money flows.", source: ["V06 Art 3", "EF (as courts apply it)"] },
  H7: { requires: "Cash is taken only exceptionally, by two officers, with a receipt and a signed record.", source: ["EF (as courts apply it)"] },
  H8: { requires: "Money is paid out within 30 days of the notice of receipt; delays need approval.", source: ["EF (as courts apply it)"] },
  I1: { requires: "Until bidding ends, who the bidders are, anything that could identify them, and their passwords stay confidential.", source: ["OJA 18"] },
  I2: { requires: "In public, bidders appear only by their code (priority holders by their priority code).", source: ["OJA 18–20"] },
  I3: { requires: "A bidder's identity is revealed only in the confirmation after the sale, and bidders are told so in advance.", source: ["OJA 14(6)", "OJA 22"] },
  I5: { requires: "Collusion among bidders, or with the platform or an auction house, is a mandatory ground for revocation.", source: ["OJA 31(3)"] },
  I8: { requires: "The record of a sale keeps the full bid history for at least 10 years, and the draw's records (D5, D8, A27).", source: ["OJA 20", "OJA 29", "RP 34"] },
  P1: { requires: "The debtor may bid unless its court's setting forbids it; allowed by default (C9).", source: "platform policy" },
  P2: { requires: "On a suspension, stay, withdrawal or revocation, every deposit not forfeited is released within 24 hours (G6).", source: "platform policy" },
  P3: { requires: "The balance is due within the period the lot announces: 10 days by default, between 1 and 30 (F3).", source: "platform policy" },
  P4: { requires: "Before the close nobody, judges and admins included, can see who registered or bid, or how many registered; afterwards only the buyer is named (I1–I4, D7).", source: "platform policy" },
  P5: { requires: "Every accepted bid and every state change is written, in the same transaction, to an append-only hash-chained audit log that anyone can verify.", source: "platform policy" },
  P6: { requires: "The agency draw is verifiable: the seed's hash and the eligible list are published first, and anyone can recompute the ranking from the revealed seed (A13, A27).", source: "platform policy" },
  P7: { requires: "An online inquiry asks every active platform set up for the asset's category; the price is the mean of the valid results, to the fen (A7, A10).", source: "platform policy" },
  P8: { requires: "A sale-off follows F9 with 7 days' notice for movables and 15 for real property; the court may instead offer the asset to creditors (以物抵债) (F9, F7).", source: "platform policy" },
  P9: { requires: "Money is integer fen; a percentage is rounded to the fen so that a floor (70%, 5%) is never undershot.", source: "platform policy" },
  P10: { requires: "Times are UTC instants; a bid's time is when the platform's transaction takes it, and the 5-minute windows are exact to the millisecond (D4).", source: "platform policy" },
  P11: {
    requires: "One real person (ID number) or company (credit code) holds at most one registration per lot, whatever its accounts, and a proxy represents at most one bidder per lot; a refusal names only the rule.",
    source: "platform policy",
  },
  P14: {
    requires: "One case, one escrow account: every fen received for a case is booked to it in a double-entry ledger whose transfers balance, are immutable, carry an idempotency key and join the audit chain.",
    source: "platform policy",
  },
  P15: { requires: "A suspension or stay freezes the lot: no bids, the countdown stopped, the reason posted; on resumption the time that was left runs again from then, announced before bidding restarts.", source: "platform policy" },
  P16: {
    requires: "Priority holders are announced by kind and rank until the close and by name after it; a priority code shows that a priority holder bid, never which person.",
    source: "platform policy",
  },
  P17: { requires: "The bidder holding the highest bid may not bid again until someone outbids or matches it; the refusal has its own code.", source: "platform policy" },
} as const satisfies { [Id in RulebookId]?: Entry<Id> };

/** A rule this project enforces or cites: a key of the table. */
export type RuleId = keyof typeof RULES;

const SECTION_ORDER = Object.keys(RULE_GROUPS).join("");

/** Rulebook order: by section (A … I, then P), then by number. */
export function compareRuleIds(a: string, b: string): number {
  return SECTION_ORDER.indexOf(a[0]!) - SECTION_ORDER.indexOf(b[0]!) || Number(a.slice(1)) - Number(b.slice(1));
}

/** Where the law says what a rule requires ("RP 19"); none for the platform's own policies and unknown IDs. */
export function ruleSources(id: string): readonly string[] {
  const rule = (RULES as Record<string, Rule>)[id];
  return rule && rule.source !== "platform policy" ? rule.source : [];
}

/** The table's IDs in rulebook order. */
export function ruleIds(): RuleId[] {
  return (Object.keys(RULES) as RuleId[]).sort(compareRuleIds);
}

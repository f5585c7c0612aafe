// What the admin's pool page reads of one agency: its standing on the list (A12) with its sub-lists, and the
// member accounts identity keeps for it. Admins only.
import type { Db } from "../db/client.ts";
import { agencyMembers, authorize, type SessionUser } from "../identity/index.ts";
import { getListedAgency } from "./pool.ts";

/** One agency on the list: its standing (A12) and sub-lists as `listAgencies` shows them, and its member accounts. */
export async function getPoolAgency(db: Db, actor: SessionUser, agencyId: string) {
  authorize(actor, "pool.manage");
  const { sublists, ...agency } = await getListedAgency(db, agencyId);
  const members = await agencyMembers(db, actor, agencyId);
  return { agency, sublists, members };
}

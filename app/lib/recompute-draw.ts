// P6: the draw recomputed in the browser from what the public draw page shows, by the server's own
// implementation (appraisal/rules/draw-algorithm.ts, through the context's browser entry) with Web Crypto's
// SHA-256 — so a visitor need not trust the server's own verdict.
import { recomputeDraw as recomputeWith, withAsyncSha256, type DrawInput } from "../../appraisal/browser.ts";

/** Web Crypto's SHA-256; the copy hands it the ArrayBuffer-backed bytes its type asks for. */
async function webCryptoSha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(data)));
}

/** The list's hash, the seed's commitment and the ranking, recomputed from the published inputs. */
export function recomputeDraw(input: DrawInput): Promise<{ listSha256: string; seedSha256: string; ranking: string[] }> {
  return withAsyncSha256(webCryptoSha256, (sha256) => recomputeWith(sha256, input));
}

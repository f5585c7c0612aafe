// The appraisal context's browser-safe entry, for the app's pages only: pure code that needs neither Node nor
// the database, so it may land in a page's client bundle (index.ts would drag the server along). The public
// draw page recomputes the draw with it in the browser, by the server's own implementation (P6).
export { recomputeDraw, withAsyncSha256, type DrawInput } from "./rules/draw-algorithm.ts";

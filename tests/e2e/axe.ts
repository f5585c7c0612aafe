import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

// Accessibility checks shared by the specs (a11y.spec.ts sweeps every page; others check the pages only they reach,
// such as a draw). Not a spec: Playwright collects only *.spec.ts.

/** The WCAG 2.0, 2.1 and 2.2 A and AA rules, the tap-target size (24×24 px) among them. */
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
/**
 * The rules whose outcome depends on the layout. The site's markup is the same at every width (no script reads the
 * screen's size), so at the phone's width only these can find anything new.
 */
const LAYOUT_RULES = ["color-contrast", "target-size", "scrollable-region-focusable", "meta-viewport", "css-orientation-lock"];

interface Violation {
  id: string;
  impact?: string | null;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe's serious and critical findings, one line each. */
const serious = (violations: Violation[]) =>
  violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1, 2).join(" ").trim() ?? ""}`));

/** Every WCAG rule on the page as it is now, through axe-core/playwright (which leaves axe in the page). */
export async function axeFindings(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG).options({ resultTypes: ["violations"], rules: { "target-size": { enabled: true } } }).analyze();
  return serious(result.violations);
}

/** The layout's rules again, after a resize, with the axe that axeFindings left in the page (same document). */
export async function layoutFindings(page: Page): Promise<string[]> {
  const violations = await page.evaluate(async (rules) => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: "rule", values: rules }, resultTypes: ["violations"] })).violations;
  }, LAYOUT_RULES);
  return serious(violations);
}

/**
 * WCAG 2.5.8, measured rather than left to axe's spacing allowance: every control, and every link laid out as a box
 * (a menu's, a card's), is at least 24×24 px.
 */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const targets = document.querySelectorAll<HTMLElement>('a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])');
    const small: string[] = [];
    for (const el of targets) {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      // Not shown (e.g. the skip link until it has the focus).
      if (box.width === 0 || box.height === 0 || box.right <= 0 || style.visibility === "hidden") continue;
      // A link in the flow of text is sized by its line (WCAG 2.5.8's inline exception; axe checks its spacing).
      if (style.display === "inline") continue;
      if (box.width < 24 || box.height < 24) {
        const name = (el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 30) || el.getAttribute("name") || "";
        small.push(`target-size (measured): <${el.tagName.toLowerCase()}> "${name}" is ${Math.round(box.width)}×${Math.round(box.height)} px`);
      }
    }
    return small;
  });
}

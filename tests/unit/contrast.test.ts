// WCAG 1.4.3: text contrast of at least 4.5:1, checked on the stylesheet itself. axe checks the pages it is shown
// (tests/e2e/a11y.spec.ts); this covers every rule that sets a text colour on its own background (tags, notices,
// buttons, hover states, pages no sweep reaches) and the colours text takes on the site's plain backgrounds.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const CSS = readFileSync(path.resolve(import.meta.dirname, "../../app/styles.css"), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");

/** The custom properties of :root. */
const VARS = Object.fromEntries([...(CSS.match(/:root\s*\{([^}]*)\}/)?.[1] ?? "").matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));

/** A colour value as #rrggbb, or null for what is no plain colour (none, transparent, a gradient, a system colour). */
function hex(value: string): string | null {
  const v = value.trim().replace(/var\((--[\w-]+)\)/, (_m, name: string) => VARS[name] ?? "");
  if (/^#[0-9a-f]{6}$/i.test(v)) return v.toLowerCase();
  if (/^#[0-9a-f]{3}$/i.test(v)) return `#${[...v.slice(1)].map((c) => c + c).join("")}`.toLowerCase();
  if (v === "#fff" || v === "white") return "#ffffff";
  return null;
}

function luminance(color: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Every rule that sets both a text colour and a background colour: its selector and the two colours. */
function pairedRules(): { selector: string; color: string; background: string }[] {
  const rules: { selector: string; color: string; background: string }[] = [];
  for (const m of CSS.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const body = m[2]!;
    const color = body.match(/(?:^|[;\s])color\s*:\s*([^;]+)/)?.[1];
    const background = body.match(/background(?:-color)?\s*:\s*([^;]+)/)?.[1];
    if (!color || !background) continue;
    const [c, bg] = [hex(color), hex(background)];
    if (c && bg) rules.push({ selector: m[1]!.trim().replace(/\s+/g, " "), color: c, background: bg });
  }
  return rules;
}

describe("WCAG 1.4.3: text contrast of at least 4.5:1 in app/styles.css", () => {
  it("the contrast formula (WCAG 2): black on white is 21:1, a colour on itself 1:1", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#1d70b8", "#1d70b8")).toBe(1);
    expect(contrast("#767676", "#ffffff")).toBeGreaterThan(4.5);
    expect(contrast("#777777", "#ffffff")).toBeLessThan(4.5);
  });

  it("every rule that sets a text colour on a background of its own", () => {
    const rules = pairedRules();
    expect(rules.length, "the rules were found").toBeGreaterThan(15);
    const low = rules.filter((r) => contrast(r.color, r.background) < 4.5).map((r) => `${r.selector}: ${r.color} on ${r.background} is ${contrast(r.color, r.background).toFixed(2)}:1`);
    expect(low).toEqual([]);
  });

  it("the colours of text on the site's plain backgrounds (white, the light grey of panels and the footer)", () => {
    const backgrounds = [hex("#fff")!, hex("var(--light-grey)")!];
    const texts = ["--text", "--secondary-text", "--link", "--link-visited", "--link-hover", "--error", "--green"].map((name) => [name, hex(`var(${name})`)!] as const);
    const low = backgrounds.flatMap((bg) => texts.filter(([, c]) => contrast(c, bg) < 4.5).map(([name, c]) => `${name} ${c} on ${bg} is ${contrast(c, bg).toFixed(2)}:1`));
    expect(low).toEqual([]);
    // The header's white text on its navy band.
    expect(contrast("#ffffff", hex("var(--header)")!)).toBeGreaterThanOrEqual(4.5);
  });
});

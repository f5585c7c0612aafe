import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { en } from "../../app/i18n/en.ts";
import { AREA_TEXTS, AREAS, ROOT_TEXTS, areaOf, pickTexts, type Texts } from "../../app/i18n/areas.ts";
import { keysInSource, messageKeysInSource } from "../support/i18n-keys.ts";
import { fillPath, siteRoutes } from "../support/routes.ts";

// A page is sent its area's texts only (ADR 025): a key its code names that is not among them would show as the raw
// key. For each page, every key named by its module and the app modules it imports (components, lib) must be in the
// root's texts or its area's, and the root's own keys in the root's.

const root = join(import.meta.dirname, "../..");
const appDir = join(root, "app");

/** The module and every app module it imports, however deep (only app/: the code that renders). */
function appModules(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const src = readFileSync(file, "utf8");
  // Type-only imports bring no code (and no keys) to the page.
  for (const m of src.matchAll(/^(?!import type)(?:import|export)\b[^;]*?from\s*"(\.{1,2}\/[^"]+)"|\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/gm)) {
    const target = resolve(dirname(file), (m[1] ?? m[2])!);
    if (target.startsWith(appDir + "/") && !target.startsWith(join(appDir, "i18n") + "/") && existsSync(target)) appModules(target, seen);
  }
  return seen;
}

/** The key path that must be sent for a key: the key itself, or for a template the subtree before its first ${…}. */
const needed = (key: string) => (key.includes("${") ? key.slice(0, key.indexOf("${")).replace(/\.[^.]*$/, "") : key);
const covered = (key: string, paths: readonly string[]) => paths.some((p) => key === p || key.startsWith(p + "."));

/** Keys set outside app/ that any form may show (validation.*, lot.error.*). */
function messageKeys(): string[] {
  const files = [...sourceFiles(join(root, "identity")), ...sourceFiles(join(root, "auction")), join(root, "core", "validation.ts")];
  return files.flatMap((f) => messageKeysInSource(readFileSync(f, "utf8")));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function keysOf(files: Iterable<string>): Map<string, string> {
  const keys = new Map<string, string>();
  for (const file of files) for (const key of keysInSource(readFileSync(file, "utf8"), file.endsWith(".tsx"))) keys.set(needed(key), relative(root, file));
  return keys;
}

describe("texts sent per area", () => {
  it("names only key paths that exist, in both languages", () => {
    for (const paths of [ROOT_TEXTS, ...Object.values(AREA_TEXTS)]) {
      expect(() => pickTexts(zhCN as Texts, paths)).not.toThrow();
      expect(() => pickTexts(en as Texts, paths)).not.toThrow();
    }
  });

  it("sends the root's texts for everything the menu, footer and error pages name", () => {
    const missing = [...keysOf(appModules(join(appDir, "root.tsx")))].filter(([key]) => !covered(key, ROOT_TEXTS)).map(([key, file]) => `${key} (${file})`);
    expect(missing, "add these to ROOT_TEXTS in app/i18n/areas.ts").toEqual([]);
  });

  it("sends each page the texts its code names: none would show as a raw key", () => {
    const missing: string[] = [];
    const found = siteRoutes();
    expect(found.length).toBeGreaterThan(40);
    for (const route of found) {
      const file = join(appDir, route.file);
      if (!/export default function/.test(readFileSync(file, "utf8"))) continue; // a resource route renders nothing
      const area = areaOf(fillPath(route.pattern, new Proxy({}, { get: () => "x" })));
      const sent = [...ROOT_TEXTS, ...AREA_TEXTS[area]];
      for (const [key, from] of keysOf(appModules(file))) if (!covered(key, sent)) missing.push(`${area}: ${key} (${from}, page ${relative(root, file)})`);
    }
    expect(missing, "add these to the area's list in app/i18n/areas.ts").toEqual([]);
  });

  it("sends every area the messages that schemas and use cases set", () => {
    const keys = messageKeys();
    expect(keys.length).toBeGreaterThan(5);
    for (const area of AREAS) expect(keys.filter((k) => !covered(k, AREA_TEXTS[area])), area).toEqual([]);
  });

  it("finds the keys pages name (the scan still works), and the area of a page's address and of its data's", () => {
    const lot = keysOf(appModules(join(appDir, "routes/lot.tsx")));
    expect(lot.has("lot.title") || [...lot.keys()].some((k) => k.startsWith("lot."))).toBe(true);
    expect(areaOf("/lots/x")).toBe("public");
    expect(areaOf("/lots/x/bid")).toBe("bidder");
    expect(areaOf("/court/cases")).toBe("court");
    // What a navigation in the browser fetches: the page's data, at the page's address plus ".data".
    expect(areaOf("/account.data")).toBe("bidder");
    expect(areaOf("/agency.data")).toBe("agency");
    expect(areaOf("/lots/x/bid.data")).toBe("bidder");
    expect(areaOf("/lots/x.data")).toBe("public");
  });
});

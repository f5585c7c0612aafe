import type { TFunction } from "i18next";
import type { Language } from "../lib/language.ts";
import { createI18n } from "./index.ts";
import { AREA_TEXTS, ROOT_TEXTS, pickTexts, type Area, type Texts } from "./areas.ts";
import { en } from "./en.ts";
import { zhCN } from "./zh-CN.ts";

// The whole catalogues stay on the server; pages are sent the part they need (app/i18n/areas.ts, ADR 025).

const CATALOGUES: Record<Language, Texts> = { "zh-CN": zhCN, en };
const picked = new Map<string, Texts>();

/** The root's texts ("root") or an area's, in one language: picked once, then the same object every time. */
export function textsFor(lang: Language, part: Area | "root"): Texts {
  const key = `${lang} ${part}`;
  let texts = picked.get(key);
  if (!texts) {
    texts = pickTexts(CATALOGUES[lang], part === "root" ? ROOT_TEXTS : AREA_TEXTS[part]);
    picked.set(key, texts);
  }
  return texts;
}

const translators = new Map<Language, TFunction>();

/** A translator over the whole catalogue, for what the server writes itself (PDFs, share cards): one per language. */
export function serverT(lang: Language): TFunction {
  let t = translators.get(lang);
  if (!t) {
    t = createI18n(lang, CATALOGUES[lang]).t;
    translators.set(lang, t);
  }
  return t;
}

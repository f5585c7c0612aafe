import i18next, { type i18n } from "i18next";
import { useMemo } from "react";
import { initReactI18next } from "react-i18next";
import type { Language } from "../lib/language.ts";
import type { Texts } from "./areas.ts";

/**
 * One i18next instance per language and page load, initialised synchronously from the texts the server sent (the
 * root's; each area's are added as the reader reaches it, see addTexts). The catalogues themselves are never in the
 * browser's code (ADR 025).
 */
export function createI18n(lang: Language, texts: Texts): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: lang,
    fallbackLng: false,
    // A copy: i18next merges later texts into the object it holds, and the loader data (and on the server the cached
    // texts, shared by every request) must stay as they are.
    resources: { [lang]: { translation: structuredClone(texts) } },
    interpolation: { escapeValue: false }, // React escapes.
    initAsync: false,
    returnNull: false,
    // A key the page was not sent would show raw: say so where tests and developers look (tests/e2e fail on it).
    saveMissing: true,
    missingKeyHandler: (_languages, _namespace, key) => console.error(`text missing: ${key} (app/i18n/areas.ts)`),
  });
  return instance;
}

const added = new WeakMap<i18n, WeakSet<Texts>>();

/** Adds an area's texts to the instance, once per texts object (the same object is added on every render). */
export function addTexts(instance: i18n, lang: Language, texts: Texts) {
  let seen = added.get(instance);
  if (!seen) added.set(instance, (seen = new WeakSet()));
  if (seen.has(texts)) return;
  seen.add(texts);
  instance.addResourceBundle(lang, "translation", structuredClone(texts), true, true);
}

const serverInstances = new WeakMap<Texts, WeakMap<Texts, i18n>>();
const NO_AREA: Texts = {};

/**
 * The page's instance. In the browser: one per language for the page's life, each area's texts added as they come.
 * On the server, every request of a language and area is handed the same texts objects (texts.server.ts keeps them),
 * so their instance is built once and shared: copying the texts into a new instance on each render cost more than
 * rendering much of the page.
 */
export function useI18n(lang: Language, root: Texts, area: Texts | undefined): i18n {
  const client = useMemo(() => (typeof document === "undefined" ? null : createI18n(lang, root)), [lang]);
  if (client) {
    if (area) addTexts(client, lang, area);
    return client;
  }
  let byArea = serverInstances.get(root);
  if (!byArea) serverInstances.set(root, (byArea = new WeakMap()));
  let instance = byArea.get(area ?? NO_AREA);
  if (!instance) {
    instance = createI18n(lang, root);
    if (area) addTexts(instance, lang, area);
    byArea.set(area ?? NO_AREA, instance);
  }
  return instance;
}

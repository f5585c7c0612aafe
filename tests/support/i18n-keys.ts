import { zhCN } from "../../app/i18n/zh-CN.ts";
import { PERMISSIONS } from "../../identity/permissions.ts";

// The translation keys a source file names, found the ways the app writes them: t("key"), t(`prefix.${x}`), keys held
// in props and tables. Shared by the dictionary test (tests/unit/i18n.test.ts) and the area test
// (tests/unit/i18n-areas.test.ts). A key built at run time is returned as a template, with its ${…} parts kept.

const PERMISSION_NAMES = new Set(Object.keys(PERMISSIONS));

export function keysInSource(src: string, tsx: boolean): string[] {
  const keys: string[] = [];
  // t("key"), t('key'), t(`key`) and t(`prefix.${x}`)
  for (const m of src.matchAll(/\bt\(\s*(["'`])([^"'`]+)\1\s*[,)]/g)) keys.push(m[2]!);
  // t(cond ? "a" : "b")
  for (const m of src.matchAll(/\bt\(([^()"'`]*\?\s*["'][^()]*)\)/g)) for (const s of m[1]!.matchAll(/["']([^"']+)["']/g)) keys.push(s[1]!);
  // Keys passed as props or held in tables: hint="register.hint.x", ["account.name", value]
  for (const m of src.matchAll(/\bhint="([^"]+)"/g)) keys.push(m[1]!);
  // (A list of permissions, such as a route open to two roles' work, is not a table of keys.)
  for (const m of src.matchAll(/\[\s*"([a-zA-Z]+\.[\w.]+)"\s*,/g)) if (!PERMISSION_NAMES.has(m[1]!)) keys.push(m[1]!);
  // Template keys built outside t(), e.g. formError: `errors.${error.code}`.
  for (const m of src.matchAll(/`([a-zA-Z]+(?:\.(?:\w|\$\{[^}]*\})+)+)`/g)) if (m[1]!.split(".")[0]! in zhCN) keys.push(m[1]!);
  // Label keys passed to form components: label="apply.acceptWarnings"
  for (const m of src.matchAll(/\blabel="([a-zA-Z]+\.[\w.]+)"/g)) keys.push(m[1]!);
  // Keys held in tables of messages in components, e.g. { published: "courtLot.notice.published" }:
  // any quoted dotted string in a .tsx file whose first segment is a dictionary section (permission names aside).
  if (tsx)
    for (const m of src.matchAll(/["']([a-zA-Z]+(?:\.[a-zA-Z][\w]*)+)["']/g)) if (m[1]!.split(".")[0]! in zhCN && !PERMISSION_NAMES.has(m[1]!)) keys.push(m[1]!);
  // Field labels come from fields.${name}.
  for (const m of src.matchAll(/<TextField\s+name="(\w+)"/g)) keys.push(`fields.${m[1]}`);
  for (const m of src.matchAll(/type="radio"\s+name="(\w+)"/g)) keys.push(`fields.${m[1]}`);
  return keys;
}

/** Message keys that schemas and use cases outside app/ set (validation.*, and the lot set-up rules' lot.error.*). */
export function messageKeysInSource(src: string): string[] {
  return [...src.matchAll(/(["'`])((?:validation|lot\.error)\.[^"'`\s]+)\1/g)].map((m) => m[2]!);
}

// A legal basis in words ("《…参考价…规定》第十九条" / "…, art. 19") from the rulebook's citations ("RP 19"):
// pages name the law, never the rule IDs the code uses.

const DIGITS = "零一二三四五六七八九";

/** 1–999 in Chinese numerals, as articles are numbered (第十九条, 第二百三十六条). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999) return String(n);
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const ones = n % 10;
  let out = hundreds ? `${DIGITS[hundreds]}百` : "";
  if (tens) out += `${tens === 1 && !hundreds ? "" : DIGITS[tens]}十`;
  else if (hundreds && ones) out += "零";
  if (ones) out += DIGITS[ones];
  return out;
}

/** "19", "5–6", "14(2)" as an article reference in the page's language; anything else as cited. */
export function articleText(article: string, language: string): string {
  const m = /^(\d+)(?:–(\d+))?(?:\((\d+)\))?$/.exec(article);
  const zh = language.startsWith("zh");
  if (!m) return zh ? article : `art. ${article}`;
  const [, from, to, item] = m;
  if (!zh) return `${to ? "arts." : "art."} ${from}${to ? `–${to}` : ""}${item ? `(${item})` : ""}`;
  const cn = (s: string) => chineseNumber(Number(s));
  return `第${cn(from!)}条${to ? `至第${cn(to)}条` : ""}${item ? `第（${cn(item)}）项` : ""}`;
}

/** A citation "RP 19" split into its instrument and article. */
export function splitCitation(citation: string): { instrument: string; article: string } {
  const space = citation.indexOf(" ");
  return space < 0 ? { instrument: citation, article: "" } : { instrument: citation.slice(0, space), article: citation.slice(space + 1) };
}

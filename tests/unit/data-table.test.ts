import { describe, expect, it } from "vitest";
import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { DataTable, type Column } from "../../app/components/data-table.tsx";
import { createI18n } from "../../app/i18n/index.ts";
import { en } from "../../app/i18n/en.ts";

interface Bid {
  code: string;
  amount: number;
}

const render = (node: ReactNode) => renderToStaticMarkup(createElement(I18nextProvider, { i18n: createI18n("en", en) }, node));

const columns: (Column<Bid> | false)[] = [
  { header: "lot.bids.code", cell: (b, i) => `${i + 1}. ${b.code}` },
  { header: "lot.bids.amount", numeric: true, cell: (b) => b.amount, cellData: (b) => ({ "data-amount": b.amount }) },
  false,
  { header: "lot.bids.time", className: "nowrap", cell: () => "—" },
];

describe("DataTable", () => {
  it("renders a caption for screen readers, a header of column headers and one row a record, in order", () => {
    const html = render(
      createElement(DataTable<Bid>, {
        rows: [
          { code: "AB12CD", amount: 100 },
          { code: "EF34GH", amount: 90 },
        ],
        columns,
        rowKey: (b) => b.code,
        rowData: (b) => ({ "data-bidder-code": b.code }),
        caption: "lot.bids.caption",
        testId: "bids",
      }),
    );
    // WCAG 2.1.1: the table scrolls sideways in a named region that takes the keyboard's focus, named by the caption.
    expect(html).toMatch(/^<div class="table-wrap" role="region" aria-label="([^"]+)" tabindex="0"><table class="table" data-testid="bids"><caption class="visually-hidden">\1<\/caption>/);
    expect(html).toContain('<thead><tr><th scope="col">Bidder code</th><th scope="col" class="numeric">Amount</th><th scope="col">Time</th></tr></thead>');
    expect(html.match(/<th /g)).toHaveLength(3);
    expect(html).toContain('<tr data-bidder-code="AB12CD"><td>1. AB12CD</td><td class="numeric" data-amount="100">100</td><td class="nowrap">—</td></tr>');
    expect(html.indexOf("AB12CD")).toBeLessThan(html.indexOf("EF34GH"));
  });

  it("WCAG 2.1.1: without a caption, the scrolling region is named by the table's column headers", () => {
    const html = render(createElement(DataTable<Bid>, { rows: [{ code: "AB12CD", amount: 100 }], columns, rowKey: (b) => b.code }));
    expect(html).toMatch(/^<div class="table-wrap" role="region" aria-label="Table: Bidder code, Amount, and Time" tabindex="0"><table/);
  });

  it("shows what it is given for no rows instead of an empty table, or nothing", () => {
    const empty = createElement("p", { "data-testid": "none" }, "No bids");
    expect(render(createElement(DataTable<Bid>, { rows: [], columns, rowKey: (b) => b.code, empty }))).toBe('<p data-testid="none">No bids</p>');
    expect(render(createElement(DataTable<Bid>, { rows: [], columns, rowKey: (b) => b.code }))).toBe("");
  });
});

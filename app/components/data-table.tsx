import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** Attributes tests and scripts find rows and cells by (`data-state`, `data-lot-id`, ...). */
export type DataAttributes = Record<`data-${string}`, string | number | undefined>;

export interface Column<Row> {
  /** Label key of the column's header. */
  header: string;
  cell: (row: Row, index: number) => ReactNode;
  /** Figures: the header and the cells are right-aligned, in tabular digits. */
  numeric?: boolean;
  /** A class of each cell ("nowrap", "actions"). */
  className?: string;
  cellData?: (row: Row) => DataAttributes;
}

/**
 * A list of records as a table: one header row of column headers (`<th scope="col">`), one row a record.
 * With no rows, `empty` is shown instead (nothing when it is not given). The caption, a label key, is
 * for screen readers: the page's heading already says what the table is. It names the table's scrolling
 * region too; without one, the column headers do.
 */
export function DataTable<Row>({
  rows,
  columns,
  rowKey,
  rowData,
  caption,
  testId,
  empty,
}: {
  rows: readonly Row[];
  columns: readonly (Column<Row> | false)[];
  rowKey: (row: Row, index: number) => string | number;
  rowData?: (row: Row) => DataAttributes;
  caption?: string;
  testId?: string;
  empty?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  if (rows.length === 0) return <>{empty}</>;
  // A column given as `false` is left out (one the viewer has no use for).
  const shown = columns.filter((c): c is Column<Row> => c !== false);
  const classOf = (c: Column<Row>) => [c.numeric ? "numeric" : null, c.className ?? null].filter(Boolean).join(" ") || undefined;
  const headers = shown.map((c) => t(c.header));
  return (
    <TableScroll label={caption ? t(caption) : t("table.columnsNamed", { name: new Intl.ListFormat(i18n.language, { type: "conjunction" }).format(headers) })}>
      <table className="table" data-testid={testId}>
        {caption && <caption className="visually-hidden">{t(caption)}</caption>}
        <thead>
          <tr>
            {shown.map((c, i) => (
              <th scope="col" key={c.header} className={c.numeric ? "numeric" : undefined}>
                {headers[i]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={rowKey(row, i)} {...rowData?.(row)}>
              {shown.map((c) => (
                <td key={c.header} className={classOf(c)} {...c.cellData?.(row)}>
                  {c.cell(row, i)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/**
 * The wrapper a table scrolls sideways in when it is wider than the screen. It is a named region that takes the
 * keyboard's focus, so that someone without a mouse or touch can scroll it too (WCAG 2.1.1); `label` says which
 * table it is.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

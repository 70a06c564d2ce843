import { Form } from '@remix-run/react'
import type { HTMLAttributes, ReactNode } from 'react'

/**
 * One column of a DataTable: its heading, and what a row shows in it. `rowHeader` makes the cell the
 * row's header (<th scope="row">); `hidden` keeps the heading for screen readers only (an actions
 * column), and such a cell carries no card label on phones.
 */
export type Column<Row> = { label: string; cell: (row: Row) => ReactNode; rowHeader?: boolean; hidden?: boolean }

/**
 * The site's table of records (`.data-table`): headings in <thead>, a row per record, and each cell
 * labelled with its column (`data-label`) so the table turns into labelled cards below 40rem
 * (decision 022). Every list of records in an admin or settings page is one of these.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  rowProps,
  className,
  ...table
}: {
  columns: Column<Row>[]
  rows: readonly Row[]
  rowKey: (row: Row) => string | number
  rowProps?: (row: Row) => HTMLAttributes<HTMLTableRowElement>
  className?: string
} & Pick<HTMLAttributes<HTMLTableElement>, 'aria-labelledby' | 'aria-label'>) {
  return (
    <table className={['data-table', className].filter(Boolean).join(' ')} {...table}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.label} scope="col">
              {column.hidden ? <span className="visually-hidden">{column.label}</span> : column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowProps?.(row)}>
            {columns.map((column) => {
              const label = column.hidden ? undefined : column.label
              return column.rowHeader ? (
                <th key={column.label} scope="row" data-label={label}>
                  {column.cell(row)}
                </th>
              ) : (
                <td key={column.label} data-label={label}>
                  {column.cell(row)}
                </td>
              )
            })}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * A one-button form that acts on one record of a table ("Remove", "Delete", "Log out this
 * session"): the record's id as a hidden field, the intent on the button, and an accessible name
 * that says which record (the visible text alone repeats on every row).
 */
export function RowActionForm({ field = 'id', value, intent, label, accessibleName, className = 'secondary' }: { field?: string; value: string | number; intent: string; label: string; accessibleName: string; className?: string }) {
  return (
    <Form method="post">
      <input type="hidden" name={field} value={value} />
      <button type="submit" name="intent" value={intent} className={className} aria-label={accessibleName}>
        {label}
      </button>
    </Form>
  )
}

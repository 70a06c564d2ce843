import type { ReactNode } from 'react'

/**
 * The line that confirms what the last step did (?saved=, ?sent=, ?welcome=…). It gives way once
 * the page's form has been sent again, so an old confirmation never sits above a new error.
 */
export function StatusNotice({ children, hidden = false }: { children: ReactNode; hidden?: boolean }) {
  if (hidden || children === null || children === undefined || children === false || children === '') return null
  return (
    <p className="notice" role="status">
      {children}
    </p>
  )
}

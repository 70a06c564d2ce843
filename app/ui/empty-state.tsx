import type { ReactNode } from 'react'
import { Icon, type IconName } from '~/ui/icons'

/**
 * What a list shows when it has nothing in it: what is (not) here, and what to do next. One
 * component so every empty list looks and reads alike, in both themes.
 */
export function EmptyState({ title, children, icon = 'inbox', action }: { title: string; children?: ReactNode; icon?: IconName; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <Icon name={icon} size={28} className="empty-state-icon" />
      <p className="empty-state-title">{title}</p>
      {children ? <div className="empty-state-text">{children}</div> : null}
      {action ? <div className="empty-state-action">{action}</div> : null}
    </div>
  )
}

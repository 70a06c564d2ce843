/**
 * Working the queue at volume (decision 032): many report items decided with one form, and the
 * list's quick actions (Discourse's agree / disagree / ignore). Each item is its own decision, in
 * its own transaction, through decideReport: one item that changed or was taken meanwhile is
 * refused and named, and the others still go through.
 */
import { refusalMessage, type Moderator } from './decision'
import { decideReport } from './report.server'
import type { ReportAction } from './report-actions'
import { QUICK_ACTIONS, type QuickAction } from './quick-actions'

export type BulkItem = { id: number; version: number }
export type BulkResult = { decided: number[]; refused: { id: number; message: string }[] }

export async function decideReportsInBulk({ items, moderator, action, reason, days = null }: { items: BulkItem[]; moderator: Moderator; action: ReportAction; reason: string; days?: number | null }): Promise<BulkResult> {
  const result: BulkResult = { decided: [], refused: [] }
  // In queue order, one at a time: a moderator's bulk decision is never its own race.
  for (const item of items) {
    const decided = await decideReport({ id: item.id, version: item.version, moderator, action, reason, days })
    if (decided.ok) result.decided.push(item.id)
    else result.refused.push({ id: item.id, message: decided.reason === 'not-found' ? 'Only reports can be decided from the list; open the item to decide it.' : refusalMessage(decided) })
  }
  return result
}

/** A quick action on one row of the list: the report action it stands for, with its standard reason. */
export async function quickDecide({ item, moderator, quick }: { item: BulkItem; moderator: Moderator; quick: QuickAction }) {
  const { action, reason } = QUICK_ACTIONS[quick]
  return decideReportsInBulk({ items: [item], moderator, action, reason })
}

import type { DbOrTx } from '#db/client.server'
import { publish } from '~/platform/realtime/publish.server'

/**
 * Moderators' open queue pages offer a refresh (heard at commit). Called beside every write that
 * adds, re-scores, claims or resolves a review item.
 */
export const reviewQueueChanged = (tx: DbOrTx) => publish(tx, { topic: 'queue:moderation', payload: {} })

import { QUEUES, registerJobHandler } from '~/platform/jobs/boss.server'
import { purgeRemovedContent } from './purge.server'

// Daily: content removed more than 30 days ago loses its text for good.
registerJobHandler(QUEUES.purgeRemoved, async () => {
  await purgeRemovedContent()
})

import { randomBytes } from 'node:crypto'
import { Meilisearch } from 'meilisearch'
import { afterAll, describe } from 'vitest'
import { describeSearchContract } from './engine-contract'
import { createMeilisearchEngine } from './meilisearch-engine'

/**
 * Runs only with a Meilisearch server: start one (docker run -p 7700:7700 getmeili/meilisearch:v1.x),
 * then MEILI_URL=http://127.0.0.1:7700 [MEILI_MASTER_KEY=…] npm run test:unit. Each run uses an
 * index of its own and deletes it afterwards.
 */
const host = process.env.MEILI_URL
const apiKey = process.env.MEILI_MASTER_KEY || undefined
const indexName = `parley-test-${randomBytes(4).toString('hex')}`

describe.runIf(!!host)('Meilisearch', () => {
  describeSearchContract('Meilisearch', () => createMeilisearchEngine({ host: host!, apiKey, indexName }))

  afterAll(async () => {
    await new Meilisearch({ host: host!, apiKey }).deleteIndex(indexName).waitTask()
  })
})

/**
 * pg-boss's whole contract with a database is one method, `executeSql(text, values)` answering
 * `{ rows }` (its `db` constructor option, and `send(…, { db })` for a single call); pg-boss 10
 * ships only a node-postgres pool behind it. These are Parley's two implementations: pg-boss's SQL
 * and its own `$n` values go to the driver unchanged.
 */
import type PgBoss from 'pg-boss'
import { getConnection, type DbOrTx } from '#db/client.server'

/**
 * pg-boss passes values as node-postgres would take them: JSON payloads as objects, which
 * node-postgres serialises. drizzle turns postgres.js's own JSON serialisation off, and PGlite
 * would guess, so both drivers get the text.
 */
function toDriverValue(value: unknown) {
  if (value === undefined || value === null) return null
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)) return JSON.stringify(value)
  return value
}

/**
 * Runs pg-boss's statement on the connection `database` runs on: inside a transaction, on that
 * transaction's connection, so the job row commits or rolls back with the caller's writes. A
 * drizzle session runs a query given as text plus parameters on either driver (the step after
 * drizzle renders its own SQL), so pg-boss's text needs no rewriting.
 */
export function transactionDb(database: DbOrTx): PgBoss.Db {
  const session = database._.session
  return {
    async executeSql(text, values = []) {
      const result: unknown = await session.prepareQuery({ sql: text, params: values.map(toDriverValue) }, undefined, undefined, false).execute()
      return { rows: Array.isArray(result) ? result : (result as { rows: unknown[] }).rows }
    },
  }
}

/**
 * The process's own connection, for pg-boss's polling, schema installs and maintenance: no second
 * pool beside the application's. With values a query is one statement; without, it may be a
 * script (`BEGIN; …; COMMIT`), which both drivers run only through the simple protocol, as
 * node-postgres does. pg-boss reads no rows from a script; they are returned all the same.
 */
export function connectionDb(): PgBoss.Db {
  const connection = getConnection()
  if (connection.driver === 'pglite') {
    const client = connection.client
    return {
      async executeSql(text, values) {
        if (values?.length) return { rows: (await client.query(text, values.map(toDriverValue))).rows }
        try {
          const results = await client.exec(text)
          return { rows: results.flatMap((result) => result.rows) }
        } catch (error) {
          // PGlite has one session: a script that failed inside its BEGIN would leave every later query failing.
          await client.exec('rollback').catch(() => {})
          throw error
        }
      },
    }
  }
  const client = connection.client
  return {
    async executeSql(text, values) {
      if (values?.length) return { rows: await client.unsafe(text, values.map(toDriverValue) as never[]) }
      // postgres.js refuses BEGIN on a pooled connection, where the script's next statement could
      // land elsewhere; a reserved connection keeps the whole script on one session.
      const reserved = await client.reserve()
      try {
        const result = await reserved.unsafe(text)
        // One statement answers with its rows (which carry `command`); a script with a list of them.
        const perStatement: unknown[][] = 'command' in result ? [result] : (result as unknown as unknown[][])
        return { rows: perStatement.flat() }
      } catch (error) {
        await reserved.unsafe('rollback').catch(() => {})
        throw error
      } finally {
        reserved.release()
      }
    },
  }
}

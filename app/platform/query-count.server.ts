import type { NextFunction, Request, Response } from 'express'
import { queryCounter } from '#db/client.server'

/**
 * For `npm run bench -- pages` only: with BENCH_QUERY_COUNT=1 (which no deployment sets) every
 * response carries `X-Query-Count`, the statements sent while it was being made. Exact when
 * requests do not overlap, as in the bench's one-connection pass; otherwise it passes straight on.
 */
export function queryCountHeader(req: Request, res: Response, next: NextFunction) {
  if (process.env.BENCH_QUERY_COUNT !== '1') return next()
  const start = queryCounter.count
  const writeHead = res.writeHead
  res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
    if (!res.headersSent) res.setHeader('X-Query-Count', String(queryCounter.count - start))
    return writeHead.apply(this, args as never)
  } as Response['writeHead']
  next()
}

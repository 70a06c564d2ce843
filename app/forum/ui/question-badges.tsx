import { Link } from '@remix-run/react'

export function StatusBadges({ accepted, official }: { accepted: boolean; official: boolean }) {
  return (
    <>
      {official ? <span className="badge badge-official">Official answer</span> : null}
      {accepted ? <span className="badge badge-solved">Solved</span> : null}
    </>
  )
}

/** `plain`: plain anchors, for lists whose container routes clicks (see ~/ui/routed-links). */
export function TagLinks({ names, plain = false }: { names: string[]; plain?: boolean }) {
  if (names.length === 0) return null
  return (
    <ul className="tags" aria-label="Tags">
      {names.map((t) => (
        <li key={t}>
          {plain ? (
            <a href={`/tags/${encodeURIComponent(t)}`} className="tag">
              {t}
            </a>
          ) : (
            <Link to={`/tags/${encodeURIComponent(t)}`} className="tag">
              {t}
            </Link>
          )}
        </li>
      ))}
    </ul>
  )
}

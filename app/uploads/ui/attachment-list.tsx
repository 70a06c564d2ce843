type Attachment = { url: string; kind: 'image' | 'file'; fileName: string; byteSize: number }

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`)

/** A message's attached files: images as small previews, each a link to the file. */
export function AttachmentList({ attachments }: { attachments: Attachment[] }) {
  if (attachments.length === 0) return null
  return (
    <div className="uploads-attachments">
      <h4 className="uploads-attachments-title">Attachments</h4>
      <ul>
        {attachments.map((a) => (
          <li key={a.url}>
            <a href={a.url} download={a.kind === 'file' ? a.fileName : undefined}>
              {a.kind === 'image' ? <img src={a.url} alt="" width={120} loading="lazy" /> : null}
              <span>{a.fileName}</span>
            </a>{' '}
            <span className="muted">({size(a.byteSize)})</span>
          </li>
        ))}
      </ul>
    </div>
  )
}

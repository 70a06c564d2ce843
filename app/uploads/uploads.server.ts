import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { uploads } from '#db/schema/index'
import { getStorage } from '~/platform/storage/index.server'
import { uploadPath } from './constants'
import { prepareUpload, type PreparedUpload } from './prepare.server'

export type StoredUpload = { id: number; key: string; kind: 'image' | 'file'; fileName: string; url: string; markdown: string }

export type StoreResult = { ok: true; uploads: StoredUpload[] } | { ok: false; messages: string[] }

/** How an upload appears in a post's Markdown: an image inline, any other file as a link. */
export function uploadMarkdown({ kind, fileName, key }: { kind: 'image' | 'file'; fileName: string; key: string }) {
  return kind === 'image' ? `![${fileName}](${uploadPath(key)})` : `[${fileName}](${uploadPath(key)})`
}

/** Checks and re-encodes every file; nothing is stored. The messages name each refused file. */
export async function prepareUploads(files: { bytes: Uint8Array; fileName: string }[]): Promise<{ ok: true; prepared: PreparedUpload[] } | { ok: false; messages: string[] }> {
  const prepared: PreparedUpload[] = []
  const messages: string[] = []
  for (const file of files) {
    const result = await prepareUpload(file)
    if (result.ok) prepared.push(result.upload)
    else messages.push(result.message)
  }
  return messages.length > 0 ? { ok: false, messages } : { ok: true, prepared }
}

/**
 * Stores prepared uploads. Bytes go to storage before the rows: a row never names missing bytes.
 * (A crash between the two leaves unreferenced bytes, never a broken link.) `private` uploads are
 * for a ticket: only their owner sees them until they are attached to a ticket message.
 */
export async function savePreparedUploads({ ownerId, prepared, private: isPrivate }: { ownerId: number; prepared: PreparedUpload[]; private: boolean }): Promise<StoredUpload[]> {
  if (prepared.length === 0) return []
  const storage = getStorage()
  const keyed = prepared.map((upload) => ({ ...upload, key: `${randomBytes(16).toString('hex')}.${upload.extension}` }))
  for (const upload of keyed) await storage.put(upload.key, upload.bytes, upload.contentType)
  const rows = await db
    .insert(uploads)
    .values(
      keyed.map((upload) => ({
        key: upload.key,
        ownerId,
        kind: upload.kind,
        contentType: upload.contentType,
        byteSize: upload.bytes.byteLength,
        fileName: upload.fileName,
        width: upload.width,
        height: upload.height,
        private: isPrivate,
      })),
    )
    .returning({ id: uploads.id, key: uploads.key, kind: uploads.kind, fileName: uploads.fileName })
  return rows.map((row) => ({ ...row, url: uploadPath(row.key), markdown: uploadMarkdown(row) }))
}

/** Checks every file first and stores them only if all pass, so a refused upload stores nothing. */
export async function storeUploads({ ownerId, files, private: isPrivate }: { ownerId: number; files: { bytes: Uint8Array; fileName: string }[]; private: boolean }): Promise<StoreResult> {
  const checked = await prepareUploads(files)
  if (!checked.ok) return checked
  return { ok: true, uploads: await savePreparedUploads({ ownerId, prepared: checked.prepared, private: isPrivate }) }
}

/** An upload's row by its key, or null. Who may see it is access.server.ts's question. */
export async function findUpload({ key }: { key: string }) {
  const [row] = await db
    .select({
      id: uploads.id,
      key: uploads.key,
      ownerId: uploads.ownerId,
      kind: uploads.kind,
      contentType: uploads.contentType,
      byteSize: uploads.byteSize,
      fileName: uploads.fileName,
      private: uploads.private,
      ticketMessageId: uploads.ticketMessageId,
      chatMessageId: uploads.chatMessageId,
    })
    .from(uploads)
    .where(eq(uploads.key, key))
  return row ?? null
}

export type UploadRecord = NonNullable<Awaited<ReturnType<typeof findUpload>>>

import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { DbOrTx } from '#db/client.server'
import { uploads } from '#db/schema/index'
import { UPLOAD_PATH_PREFIX } from './constants'

/** The keys of our uploads that a Markdown body links to (`/uploads/<key>`). */
export function referencedUploadKeys(bodySource: string) {
  return [...new Set([...bodySource.matchAll(/\/uploads\/([a-f0-9]{32}\.[a-z0-9]{2,4})\b/g)].map((m) => m[1]))]
}

/**
 * Attaches a member's private uploads to the ticket message they just wrote: the ones sent with
 * the form (`uploadIds`) and the ones its body links to (pasted or dropped with JavaScript). Only
 * the author's own unattached private uploads are taken, so nobody can pull another's file into a
 * ticket; from then on the ticket decides who sees them.
 */
export async function attachUploadsToTicketMessage(tx: DbOrTx, { ticketMessageId, ownerId, uploadIds = [], bodySource }: { ticketMessageId: number; ownerId: number; uploadIds?: number[]; bodySource: string }) {
  const keys = referencedUploadKeys(bodySource)
  if (uploadIds.length === 0 && keys.length === 0) return
  const wanted = [uploadIds.length ? inArray(uploads.id, uploadIds) : undefined, keys.length ? inArray(uploads.key, keys) : undefined].filter(Boolean)
  await tx
    .update(uploads)
    .set({ ticketMessageId })
    .where(and(eq(uploads.ownerId, ownerId), eq(uploads.private, true), isNull(uploads.ticketMessageId), isNull(uploads.chatMessageId), or(...wanted)))
}

export type TicketAttachment = { url: string; kind: 'image' | 'file'; fileName: string; byteSize: number }

/**
 * A ticket message's attachments as one JSON column of the page's messages query (no query per
 * message, no extra query per page), in upload order.
 */
export const ticketAttachmentsSql = (messageId: AnyPgColumn) => sql<TicketAttachment[]>`coalesce((
  select json_agg(json_build_object('url', ${UPLOAD_PATH_PREFIX} || u.key, 'kind', u.kind, 'fileName', u.file_name, 'byteSize', u.byte_size) order by u.id)
  from ${uploads} u where u.ticket_message_id = ${messageId}
), '[]'::json)`

/**
 * The same for a live chat message: the author's own unattached private uploads, sent with the
 * form or linked from the body, now belong to the chat (its member and staff see them).
 */
export async function attachUploadsToChatMessage(tx: DbOrTx, { chatMessageId, ownerId, uploadIds = [], bodySource }: { chatMessageId: number; ownerId: number; uploadIds?: number[]; bodySource: string }) {
  const keys = referencedUploadKeys(bodySource)
  if (uploadIds.length === 0 && keys.length === 0) return
  const wanted = [uploadIds.length ? inArray(uploads.id, uploadIds) : undefined, keys.length ? inArray(uploads.key, keys) : undefined].filter(Boolean)
  await tx
    .update(uploads)
    .set({ chatMessageId })
    .where(and(eq(uploads.ownerId, ownerId), eq(uploads.private, true), isNull(uploads.ticketMessageId), isNull(uploads.chatMessageId), or(...wanted)))
}

/** A chat message's attachments as one JSON column, like ticketAttachmentsSql. */
export const chatAttachmentsSql = (messageId: AnyPgColumn) => sql<TicketAttachment[]>`coalesce((
  select json_agg(json_build_object('url', ${UPLOAD_PATH_PREFIX} || u.key, 'kind', u.kind, 'fileName', u.file_name, 'byteSize', u.byte_size) order by u.id)
  from ${uploads} u where u.chat_message_id = ${messageId}
), '[]'::json)`

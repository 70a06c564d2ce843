import type { UserRole } from '#db/schema/users'
import { chatMessageVisibleTo, ticketMessageVisibleTo } from '~/tickets/message-access.server'
import type { UploadRecord } from './uploads.server'

/**
 * Who may see an upload, in one place. A post's upload is public: its key is unguessable and the
 * post that shows it is public or moderated on its own. A ticket's upload is its owner's until
 * attached, then visible to whoever may see that ticket message (the requester and staff;
 * internal notes to staff only). Everyone else is told there is no such file.
 */
export async function uploadVisibleTo(upload: Pick<UploadRecord, 'private' | 'ownerId' | 'ticketMessageId'> & { chatMessageId?: number | null }, viewer: { id: number; role: UserRole } | null) {
  if (!upload.private) return true
  if (!viewer) return false
  if (upload.ownerId === viewer.id) return true
  // Sent in a live chat: its member and staff (and, once converted, the ticket's people below).
  if (upload.chatMessageId && (await chatMessageVisibleTo({ messageId: upload.chatMessageId, viewer }))) return true
  return upload.ticketMessageId !== null && (await ticketMessageVisibleTo({ messageId: upload.ticketMessageId, viewer }))
}

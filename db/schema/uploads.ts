import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, pgEnum, pgTable, text, type AnyPgColumn } from 'drizzle-orm/pg-core'
import { chatMessages } from './chat'
import { UPLOAD_KINDS } from '../enums'
import { timestamptz } from './columns'
import { ticketMessages } from './tickets'
import { users } from './users'

export const uploadKind = pgEnum('upload_kind', UPLOAD_KINDS)

/**
 * An image or file a member uploaded. The bytes live in storage under `key` (app/platform/storage);
 * this row says whose they are and who may see them. Post uploads are public by their unguessable
 * key; ticket uploads are private: their owner's until attached to a ticket message, then the
 * ticket's (docs/decisions/023-uploads-and-storage.md).
 */
export const uploads = pgTable(
  'uploads',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    key: text('key').notNull().unique(),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => users.id),
    kind: uploadKind('kind').notNull(),
    contentType: text('content_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    /** The sender's file name, cleaned, for the link text and the download's name. */
    fileName: text('file_name').notNull(),
    width: integer('width'),
    height: integer('height'),
    private: boolean('private').notNull().default(false),
    ticketMessageId: integer('ticket_message_id').references(() => ticketMessages.id),
    /** Sent in a live chat: the chat's people see it (a converted chat's ticket message too). */
    chatMessageId: integer('chat_message_id').references((): AnyPgColumn => chatMessages.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('uploads_ticket_message_idx')
      .on(t.ticketMessageId)
      .where(sql`${t.ticketMessageId} is not null`),
    index('uploads_owner_idx').on(t.ownerId, t.createdAt),
    check('uploads_attached_private_check', sql`${t.ticketMessageId} is null or ${t.private}`),
    index('uploads_chat_message_idx')
      .on(t.chatMessageId)
      .where(sql`${t.chatMessageId} is not null`),
    check('uploads_chat_private_check', sql`${t.chatMessageId} is null or ${t.private}`),
  ],
)

import { Composer, type ComposerProps } from '~/ui/composer'
import { AttachField } from './attach-field'

/**
 * The composer of a post that takes images and files: asking, answering, a new ticket and ticket
 * replies. One place assembles the Composer with its uploads slot and the "Attach images or files"
 * field, so every such form pastes, drops and picks files the same way. `attach` says where the
 * files go: `post` (public, shown in the thread) or `ticket` (private to the ticket).
 */
export function PostComposer({ attach, attachmentErrors, ...composer }: Omit<ComposerProps, 'uploads' | 'attachments'> & { attach: 'post' | 'ticket'; attachmentErrors?: string[] | null }) {
  return <Composer {...composer} uploads={attach} attachments={<AttachField errors={attachmentErrors} privateToTicket={attach === 'ticket'} />} />
}

/** Browser-safe facts about uploads, shared by forms, the client module and the server. */

/** The file input's name in every form that takes attachments. */
export const ATTACHMENTS_FIELD = 'attachments'
export const ATTACH_LABEL = 'Attach images or files'
/** Where the client module sends a pasted, dropped or picked file (POST, multipart, one `file`). */
export const UPLOAD_ENDPOINT = '/uploads/new'
/** Files one form may attach at once. */
export const MAX_ATTACHMENTS = 10
/** What the file picker offers; the server decides by the bytes, whatever the picker allowed. */
export const UPLOAD_ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,.pdf,.zip,.txt,.log'
export const ALLOWED_TYPES_TEXT = 'PNG, JPEG, GIF or WebP images; PDF, plain text (.txt, .log) or zip files'
/** Images wider than this are scaled down. */
export const MAX_IMAGE_WIDTH = 1600

export const UPLOAD_PATH_PREFIX = '/uploads/'
export const uploadPath = (key: string) => `${UPLOAD_PATH_PREFIX}${key}`

/** Where an upload's Markdown lands: a post (public) or a ticket message (private to the ticket). */
export const UPLOAD_TARGETS = ['post', 'ticket'] as const
export type UploadTarget = (typeof UPLOAD_TARGETS)[number]

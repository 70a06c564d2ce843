/** Every icon in app/ui/icons.svg, by its symbol id (a unit test keeps the two in step). */
export const ICON_NAMES = ['bell', 'menu', 'user', 'chevron', 'arrow-up', 'arrow-down', 'check', 'star', 'official', 'link', 'share', 'sun', 'moon', 'monitor', 'search', 'plus', 'paperclip', 'image', 'bold', 'italic', 'code', 'quote', 'list', 'x', 'inbox', 'chart'] as const

export type IconName = (typeof ICON_NAMES)[number]

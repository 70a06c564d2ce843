// A handful of inline icons for the thread page, until app/ui/icons.tsx (the design work) lands:
// then these become <Icon name="…" />. Decorative: the control around them carries the name.
const paths = {
  up: 'M12 6l7 9H5z',
  down: 'M12 18l-7-9h14z',
  check: 'M9.5 16.2l-4-4L4 13.7l5.5 5.5L20 8.7l-1.5-1.5z',
  shield: 'M12 2l8 3v6c0 5-3.4 9.4-8 11-4.6-1.6-8-6-8-11V5zm-1.2 13.6l6-6-1.4-1.4-4.6 4.6-2.2-2.2-1.4 1.4z',
  link: 'M10.6 13.4a1 1 0 0 1 0-1.4l3.5-3.5a3 3 0 0 1 4.3 4.2l-2.2 2.2-1.4-1.4 2.2-2.2a1 1 0 0 0-1.5-1.4L12 13.4a1 1 0 0 1-1.4 0zM13.4 10.6a1 1 0 0 1 0 1.4l-3.5 3.5a3 3 0 0 1-4.3-4.2l2.2-2.2 1.4 1.4-2.2 2.2a1 1 0 0 0 1.5 1.4L12 10.6a1 1 0 0 1 1.4 0z',
  share: 'M18 16a3 3 0 0 0-2.2 1l-7-3.5a3 3 0 0 0 0-1l7-3.5A3 3 0 1 0 15 7l-7 3.5a3 3 0 1 0 0 3L15 17a3 3 0 1 0 3-1z',
} as const

export type ThreadIconName = keyof typeof paths

export function ThreadIcon({ name }: { name: ThreadIconName }) {
  return (
    <svg className="thread-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={paths[name]} fill="currentColor" />
    </svg>
  )
}

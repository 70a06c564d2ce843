import type { SVGProps } from 'react'
import type { IconName } from './icon-names'
import spriteHref from './icons.svg'

export type { IconName }

// The icons are symbols of one SVG file (app/ui/icons.svg), which the build copies under a hashed
// name that browsers cache for good; an icon is a <use> of its symbol. So no path data travels in
// the page's JavaScript (it did, 1.3 KB gzipped on every page) or repeats in its HTML. Strokes are
// currentColor: icons follow the text colour in both themes. They are decoration: the control that
// holds one carries the accessible name (its text, or aria-label), so every icon is aria-hidden.

/** One icon, 1em square by default so it sits in a line of text; size in px overrides. */
export function Icon({ name, size, className, ...rest }: { name: IconName; size?: number } & Omit<SVGProps<SVGSVGElement>, 'children'>) {
  return (
    <svg width={size ?? '1em'} height={size ?? '1em'} aria-hidden="true" focusable="false" className={className ? `icon ${className}` : 'icon'} {...rest}>
      <use href={`${spriteHref}#${name}`} />
    </svg>
  )
}

import Bowser from 'bowser'

/** "Chrome 156 on Linux (desktop)": what a support agent needs from a User-Agent header. */
export function describeUserAgent(header: string | null): string {
  if (!header) return ''
  const { browser, os, platform } = Bowser.parse(header)
  const browserPart = [browser.name, browser.version?.split('.')[0]].filter(Boolean).join(' ')
  const osPart = [os.name, os.versionName ?? os.version].filter(Boolean).join(' ')
  const parts = [browserPart, osPart && `on ${osPart}`, platform.type && `(${platform.type})`].filter(Boolean)
  return parts.join(' ').slice(0, 200)
}

import { expect, test } from 'vitest'
import { generatedAvatarSvg, initialsOf } from './generated-avatar.server'
import { loader } from '~/routes/avatars.generated.$username'

test('a generated avatar: initials on a colour from the name, the same whatever the case', () => {
  expect(initialsOf('ada_lovelace')).toBe('AL')
  expect(initialsOf('bob')).toBe('B')
  const svg = generatedAvatarSvg('ada_lovelace')!
  expect(svg).toContain('>AL</text>')
  expect(svg).not.toMatch(/<script|on\w+=/i)
  const fill = (s: string) => s.match(/fill="(hsl[^"]+)"/)?.[1]
  expect(fill(generatedAvatarSvg('Ada_Lovelace')!)).toBe(fill(svg))
  expect(fill(generatedAvatarSvg('grace')!)).not.toBe(fill(svg))
  expect(generatedAvatarSvg('deleted member')).toContain('>?</text>')
})

test('the avatar address answers only for names an account can have, as an image that runs nothing', async () => {
  const ok = await loader({ params: { username: 'ada_lovelace' }, request: new Request('http://localhost/avatars/generated/ada_lovelace'), context: { user: null, session: null, clientIp: '203.0.113.7' } })
  expect(ok.status).toBe(200)
  expect(ok.headers.get('Content-Type')).toBe('image/svg+xml')
  expect(ok.headers.get('Content-Security-Policy')).toContain('sandbox')
  for (const bad of ['<script>', 'a', '../../etc/passwd', 'x'.repeat(40)]) {
    const refused = await loader({ params: { username: bad }, request: new Request('http://localhost/avatars/generated/x'), context: { user: null, session: null, clientIp: '203.0.113.7' } })
    expect(refused.status).toBe(404)
  }
})

import { createHash, createVerify } from 'node:crypto'

/**
 * Checks a DKIM-Signature (rsa-sha256, relaxed/relaxed, RFC 6376) against a message's raw source
 * and a public key, as a receiving server would after looking the key up in DNS. Returns the
 * signature's tags when both the body hash and the signature hold, else throws saying which failed.
 */
export function verifyDkim(source: string, publicKeyPem: string) {
  const raw = source.replace(/\r?\n/g, '\r\n')
  const split = raw.indexOf('\r\n\r\n')
  const headerBlock = raw.slice(0, split)
  const body = raw.slice(split + 4)
  // Unfolded header fields, in order, each with its original text.
  const fields = headerBlock.split(/\r\n(?![ \t])/).map((text) => ({ name: text.slice(0, text.indexOf(':')).trim().toLowerCase(), text }))
  const signatureField = fields.find((f) => f.name === 'dkim-signature')
  if (!signatureField) throw new Error('no DKIM-Signature header')
  const tags = Object.fromEntries(
    signatureField.text
      .slice(signatureField.text.indexOf(':') + 1)
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).replace(/\s+/g, '')]),
  ) as Record<string, string>
  if (tags.a !== 'rsa-sha256' || (tags.c ?? 'simple/simple') !== 'relaxed/relaxed') throw new Error(`unsupported a=${tags.a} c=${tags.c}`)

  const relaxedHeader = (text: string) => {
    const colon = text.indexOf(':')
    const value = text
      .slice(colon + 1)
      .replace(/\r\n/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim()
    return `${text.slice(0, colon).trim().toLowerCase()}:${value}`
  }
  let relaxedBody = body
    .split('\r\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
    .join('\r\n')
    .replace(/(\r\n)*$/, '')
  relaxedBody = relaxedBody ? `${relaxedBody}\r\n` : ''
  const bodyHash = createHash('sha256').update(relaxedBody).digest('base64')
  if (bodyHash !== tags.bh) throw new Error(`body hash mismatch: ${bodyHash} vs ${tags.bh}`)

  // Signed headers are taken bottom-up when a name repeats.
  const remaining = [...fields]
  const signed: string[] = []
  for (const name of tags.h.split(':').map((n) => n.trim().toLowerCase())) {
    const index = remaining.map((f) => f.name).lastIndexOf(name)
    if (index < 0) continue
    signed.push(relaxedHeader(remaining[index].text))
    remaining.splice(index, 1)
  }
  // The signature header itself is signed with its b= value left empty (bh= stays).
  const withoutB = relaxedHeader(signatureField.text).replace(/((?:^dkim-signature:|;)\s*b=)[^;]*/, '$1')
  const verifier = createVerify('RSA-SHA256')
  verifier.update(`${signed.join('\r\n')}\r\n${withoutB}`)
  if (!verifier.verify(publicKeyPem, tags.b, 'base64')) throw new Error('signature does not verify')
  return tags
}

// Toggle NodeBB's own gzip (ACP > Settings > Advanced > "Enable Compression", config key
// useCompression; default 0 = off, NodeBB expects a reverse proxy to compress).
// Usage: node tests/bench/nodebb/compression.mjs on|off, then restart NodeBB (nodebb.sh stop, nodebb.sh start): it is read at startup.
import { readFileSync } from 'node:fs'
import { Session, STATE_FILE } from './lib.mjs'

const mode = process.argv[2]
if (!['on', 'off'].includes(mode)) {
  console.error('usage: node tests/bench/nodebb/compression.mjs on|off')
  process.exit(2)
}
const { admin } = JSON.parse(readFileSync(STATE_FILE, 'utf8'))
const s = new Session()
await s.login(admin.username, admin.password)
const res = await s.fetch('/api/v3/admin/settings/useCompression', {
  method: 'PUT',
  headers: { 'content-type': 'application/json', 'x-csrf-token': await s.csrf(), accept: 'application/json' },
  body: JSON.stringify({ value: mode === 'on' ? 1 : 0 }),
})
if (!res.ok) throw new Error(`PUT useCompression -> ${res.status} ${await res.text()}`)
console.log(`useCompression=${mode === 'on' ? 1 : 0}; restart NodeBB to apply: tests/bench/nodebb/nodebb.sh stop && tests/bench/nodebb/nodebb.sh start`)

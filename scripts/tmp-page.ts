import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
const buildDir = 'public/build'
const mf = readdirSync(buildDir).find((n) => n.startsWith('manifest-'))!
const m = JSON.parse(readFileSync(path.join(buildDir, mf), 'utf8').replace(/^window\.__remixManifest=/, '').replace(/;\s*$/, ''))
const imports = (url: string) => [...readFileSync('public' + url, 'utf8').matchAll(/(?:\bfrom|\bimport)\s*"([^"]+\.js)"/g)].map((x) => x[1]!)
const clos = (urls: string[], s = new Set<string>()) => { const st = [...urls]; while (st.length) { const u = st.pop()!; if (s.has(u)) continue; s.add(u); st.push(...imports(u)) } return s }
const base = clos([m.entry.module, ...m.entry.imports])
const id = process.argv[2]!
const chain: any[] = []; for (let r = m.routes[id]; r; r = m.routes[r.parentId]) chain.unshift(r)
const all = new Set(base); for (const r of chain) clos([r.module, ...(r.imports ?? [])], all)
const rows = [...all].filter((u) => !base.has(u)).map((u) => { const c = readFileSync('public' + u, 'utf8'); return [gzipSync(c, { level: 9 }).length, u, c.slice(0, 0)] as const }).sort((a, b) => b[0] - a[0])
let t = 0; for (const [s, u] of rows) { t += s; console.log(s, u) } console.log('total extra', t)

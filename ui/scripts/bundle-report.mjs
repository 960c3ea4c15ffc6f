// Where the UI's bytes go: builds the UI (into a temporary directory, so
// dist/ is left alone) and prints each JavaScript chunk with its size and
// the packages (or src/ folders) it is made of, largest first.
// Run: node scripts/bundle-report.mjs   (from ui/)
import { build } from 'vite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** `naive-ui`, `@vicons/ionicons5`, `src/views`… for a module id. */
function owner(id) {
  const nm = id.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const rest = id.slice(nm + 'node_modules/'.length).split('/')
    const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
    // naive-ui is reported per component folder (its largest parts).
    if (pkg === 'naive-ui') return `naive-ui/${rest[rest.indexOf('es') + 1] ?? '?'}`
    return pkg
  }
  const src = id.indexOf('/src/')
  return src >= 0 ? id.slice(src + 1).split('/').slice(0, 2).join('/') : id
}

const kb = (n) => `${(n / 1024).toFixed(1)} kB`
const outDir = mkdtempSync(join(tmpdir(), 'wxdesk-ui-report-'))
const chunks = []
try {
  await build({
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
    plugins: [
      {
        name: 'wxdesk-bundle-report',
        generateBundle(_options, bundle) {
          for (const c of Object.values(bundle)) {
            if (c.type !== 'chunk') continue
            const parts = new Map()
            for (const [id, m] of Object.entries(c.modules)) {
              const o = owner(id)
              parts.set(o, (parts.get(o) ?? 0) + m.renderedLength)
            }
            chunks.push({ name: c.fileName, entry: c.isEntry, size: c.code.length, parts: [...parts].sort((a, b) => b[1] - a[1]) })
          }
        },
      },
    ],
  })
} finally {
  rmSync(outDir, { recursive: true, force: true })
}
chunks.sort((a, b) => b.size - a.size)
let total = 0
for (const c of chunks) {
  total += c.size
  console.log(`${kb(c.size).padStart(10)}  ${c.name}${c.entry ? ' (entry: loaded by the first screen)' : ''}`)
  for (const [o, n] of c.parts.slice(0, 8)) if (n > 2048) console.log(`${''.padStart(14)}${kb(n).padStart(10)}  ${o}`)
}
console.log(`${kb(total).padStart(10)}  in ${chunks.length} chunks`)

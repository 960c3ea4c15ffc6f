// Accessible names: every tab and every icon-only button must be findable by
// role and name (screen readers, and the browser tests' getByRole). Naive UI
// renders NTabPane tabs as plain divs and an icon-only NButton as a button
// with no text, so both need their name given in the template; this scan
// breaks the build when a new one does not.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { listFiles } from './helpers'

/** `<Tag attrs>` with quoted attribute values (which may hold `>`, e.g. arrow functions). */
const open = (tag: string) => new RegExp(`<${tag}((?:\\s+[^\\s=/>"']+(?:="[^"]*"|='[^']*')?)*)\\s*(/?)>`, 'g')

function files(): Array<[string, string]> {
  return listFiles('src', ['.vue']).map((f) => [f.replace(/.*\/src\//, 'src/'), readFileSync(f, 'utf8')])
}

/** The buttons (NButton, PlainButton) of a template whose content is only an icon (no text). */
export function iconOnlyButtons(src: string): string[] {
  const out: string[] = []
  for (const m of src.matchAll(open('(NButton|PlainButton)'))) {
    const tag = m[0].startsWith('<Plain') ? 'PlainButton' : 'NButton'
    const attrs = m[2] ?? ''
    const selfClosing = m[3] === '/'
    let content = ''
    if (!selfClosing) {
      const end = src.indexOf(`</${tag}>`, m.index! + m[0].length)
      content = src.slice(m.index! + m[0].length, end < 0 ? undefined : end)
    }
    const text = content
      .replace(/<template #icon>[\s\S]*?<\/template>/g, '')
      .replace(/<!--[\s\S]*?-->/g, '')
      .trim()
    if (text === '') out.push(attrs)
  }
  return out
}

describe('accessible names', () => {
  it('finds icon-only buttons (the scan itself)', () => {
    const src = `<NButton circle @click="() => go()"><template #icon><NIcon /></template></NButton>
<NButton @click="x">{{ t('a') }}</NButton><NButton aria-label="b"><template #icon><X /></template>
</NButton><PlainButton quaternary><template #icon><X /></template></PlainButton><PlainButton>{{ t('c') }}</PlainButton>`
    expect(iconOnlyButtons(src).map((a) => a.trim())).toEqual(['circle @click="() => go()"', 'aria-label="b"', 'quaternary'])
  })

  it('every icon-only button has an aria-label', () => {
    const missing: string[] = []
    for (const [f, s] of files()) {
      for (const attrs of iconOnlyButtons(s)) {
        if (!/(^|\s)(:?aria-label)=/.test(attrs)) missing.push(`${f}: <button${attrs.replace(/\s+/g, ' ').slice(0, 80)}>`)
      }
    }
    expect(missing).toEqual([])
  })

  it('every tab is a role="tab" with an accessible name', () => {
    const missing: string[] = []
    for (const [f, s] of files()) {
      for (const m of s.matchAll(open('(?:NTabPane|PlainTabPane)'))) {
        const attrs = m[1] ?? ''
        const props = attrs.match(/:tab-props="([^"]*)"/)?.[1] ?? ''
        if (!props.includes("role: 'tab'") || !props.includes("'aria-label'")) missing.push(`${f}: ${attrs.replace(/\s+/g, ' ').trim().slice(0, 80)}`)
      }
    }
    expect(missing).toEqual([])
  })
})

// Naive UI's per-instance theme merge is shared between instances with the
// same inputs (src/lib/naiveThemeCache.ts), and the build edits Naive UI's
// pinned use-theme.mjs to use it (build/naiveThemeCache.ts): an instance with
// its own theme props still gets its own, a theme switch still recomputes,
// and an unexpected use-theme.mjs fails the build.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { computed, shallowRef } from 'vue'
import { sharedTheme } from '../src/lib/naiveThemeCache'
import { patchUseTheme } from '../build/naiveThemeCache'

const provider = (theme: unknown, overrides: unknown) => ({ mergedThemeRef: shallowRef(theme), mergedThemeOverridesRef: shallowRef(overrides) })

describe('sharedTheme', () => {
  it('works a kind out once per provider theme and overrides', () => {
    const kind = {}
    const p = provider(null, { common: { primaryColor: '#07C160' } })
    const compute = vi.fn(() => ({ merged: true }))
    const a = sharedTheme('Button', kind, {}, p, compute)
    const b = sharedTheme('Button', kind, {}, p, compute)
    expect(b).toBe(a)
    expect(compute).toHaveBeenCalledTimes(1)
    // another kind, another id, another provider theme: each its own
    sharedTheme('Input', kind, {}, p, compute)
    sharedTheme('Button', {}, {}, p, compute)
    sharedTheme('Button', kind, {}, provider({ name: 'dark' }, p.mergedThemeOverridesRef.value), compute)
    sharedTheme('Button', kind, {}, provider(null, {}), compute)
    expect(compute).toHaveBeenCalledTimes(5)
  })

  it('leaves an instance with its own theme props to itself', () => {
    const kind = {}
    const p = provider(null, null)
    for (const own of [{ theme: {} }, { themeOverrides: {} }, { builtinThemeOverrides: {} }]) {
      const compute = vi.fn(() => ({}))
      sharedTheme('Select', kind, own, p, compute)
      sharedTheme('Select', kind, own, p, compute)
      expect(compute).toHaveBeenCalledTimes(2)
    }
  })

  it('recomputes in a computed when the provider switches theme', () => {
    const p = provider(null, null)
    const kind = {}
    const c = computed(() => sharedTheme('Card', kind, {}, p, () => ({ dark: p.mergedThemeRef.value !== null })))
    expect(c.value.dark).toBe(false)
    p.mergedThemeRef.value = { name: 'dark' }
    expect(c.value.dark).toBe(true)
  })
})

describe("the build's edit of Naive UI's useTheme", () => {
  const file = join(dirname(createRequire(import.meta.url).resolve('naive-ui/package.json')), 'es/_mixins/use-theme.mjs')

  it('routes the pinned version through sharedTheme', () => {
    const out = patchUseTheme(readFileSync(file, 'utf8'), '/x/naiveThemeCache.ts')
    expect(out.startsWith('import { sharedTheme as __sharedTheme } from "/x/naiveThemeCache.ts";\n')).toBe(true)
    expect(out).toContain('const compute = () => {')
    expect(out).toContain('return computed(() => __sharedTheme(resolveId, defaultTheme, props, NConfigProvider, compute));')
    expect(out).not.toContain('return computed(() => {\n    const {\n      theme: {')
  })

  it('fails on a use-theme.mjs it does not know', () => {
    expect(() => patchUseTheme('export default function useTheme() {}', '/x/naiveThemeCache.ts')).toThrow(/naive-ui upgraded/)
  })
})

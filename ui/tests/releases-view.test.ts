// The Releases screen pages its merchants in the core (a platform may have
// 10,000): it asks for one page of active merchants, then the version
// states of that page's merchants only, and a search or a new page asks
// again from the right offset.

import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { setBackend } from '../src/api'
import type { VersionStateView } from '../src/api/types'
import ReleasesView from '../src/views/releases/ReleasesView.vue'
import { RecordingBackend } from './helpers'
import { merchantView, mountScreen, screenTestHooks } from './screen'

const C = 'wx1111111111111111'
const TOTAL = 45
const appidOf = (i: number) => `wx${i.toString(16).padStart(16, '0')}`
const merchant = (i: number) => merchantView({ component_appid: C, appid: appidOf(i), nick_name: `Shop ${i}` })
const released = (appid: string) =>
  ({ appid, component_appid: C, stage: 'released', released_version: '1.0.0', updated_at: 1_767_225_600 }) as unknown as VersionStateView

describe('Releases merchants list', () => {
  screenTestHooks()

  it('asks for one page and the states of its merchants only', async () => {
    const backend = new RecordingBackend((op, args) => {
      if (op === 'component_list') return [{ appid: C, name: 'Platform' }]
      if (op === 'authorizer_page') {
        const { limit, offset } = args as { limit: number; offset: number }
        const n = Math.max(0, Math.min(limit, TOTAL - offset))
        return { items: Array.from({ length: n }, (_, k) => merchant(offset + k)), total: TOTAL, missing_profiles: 0, limit, offset }
      }
      if (op === 'version_states') return (args as { appids: string[] }).appids.filter((_, k) => k % 2 === 0).map(released)
      return null
    })
    setBackend(backend)
    const { wrapper: w } = mountScreen(ReleasesView)
    await flushPromises()

    const calls = (op: string) => backend.calls.filter((c) => c.op === op).map((c) => c.args as Record<string, unknown>)
    expect(calls('authorizer_page')[0]).toMatchObject({ component_appid: C, status: 'active', limit: 20, offset: 0, search: null })
    expect(calls('version_states')[0]).toEqual({ component_appid: C, appids: Array.from({ length: 20 }, (_, k) => appidOf(k)) })
    expect(calls('authorizer_list')).toHaveLength(0)
    expect(w.findAll('[data-testid^="release-open-"]')).toHaveLength(20)
    expect(w.get(`[data-testid="release-stage-${appidOf(0)}"]`).text()).toBe('Released')
    expect(w.get(`[data-testid="release-stage-${appidOf(1)}"]`).text()).not.toBe('Released')
    expect(w.get('[data-testid="releases-count"]').text()).toContain(String(TOTAL))

    // The last page: its offset asked of the core, its states too.
    await w.findAll('.plain-pager__item').find((b) => b.text() === '3')!.trigger('click')
    await flushPromises()
    expect(calls('authorizer_page').at(-1)).toMatchObject({ limit: 20, offset: 40 })
    expect(calls('version_states').at(-1)).toEqual({ component_appid: C, appids: [40, 41, 42, 43, 44].map(appidOf) })
    expect(w.findAll('[data-testid^="release-open-"]')).toHaveLength(5)

    // A search starts again at the first page.
    await w.get('[data-testid="releases-search"]').setValue(' Shop 4 ')
    await new Promise((r) => setTimeout(r, 300))
    await flushPromises()
    expect(calls('authorizer_page').at(-1)).toMatchObject({ search: 'Shop 4', offset: 0 })
    w.unmount()
  }, 30_000)
})

// "More" continues the rows on screen: it asks with the filters those rows
// were read with, not with a filter typed since (whose reload is still
// waiting), so the list never mixes two filter sets.

import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { setBackend } from '../src/api'
import type { CallLogView } from '../src/api/types'
import CallLogViewScreen from '../src/views/CallLogView.vue'
import { RecordingBackend } from './helpers'
import { mountScreen, screenTestHooks } from './screen'

const row = (id: number) => ({ id, at_ms: 1_767_225_600_000, endpoint: 'cgi-bin/stable_token', account: 'wx2222222222222222', failed: false }) as unknown as CallLogView

describe('call log "more"', () => {
  screenTestHooks()

  it('asks with the filters of the rows it continues', async () => {
    // A full first page (as many rows as the view asked for) offers "more".
    const backend = new RecordingBackend((op, args) => {
      if (op !== 'call_log') return null
      const { before_id: before, limit } = args as { before_id: number | null; limit: number }
      const top = before ?? 1000
      return Array.from({ length: limit }, (_, k) => row(top - 1 - k))
    })
    setBackend(backend)
    const { wrapper: w } = mountScreen(CallLogViewScreen)
    await flushPromises()
    // A filter typed, its reload not sent yet (debounced), then "more" at once.
    await w.get('[data-testid="calls-filter-account"]').setValue('wx3333')
    await w.get('[data-testid="calls-more"]').trigger('click')
    await flushPromises()
    const logs = backend.calls.filter((c) => c.op === 'call_log').map((c) => c.args as { account: string | null; before_id: number | null; limit: number })
    // One first page of 50 (a screenful, fast to draw), then one "more".
    expect(logs.filter((l) => l.before_id === null && l.account === null)).toHaveLength(1)
    expect(logs[0]!.limit).toBe(50)
    const more = logs.filter((l) => l.before_id !== null)
    expect(more).toHaveLength(1)
    expect(more[0]).toMatchObject({ account: null, before_id: 1000 - logs[0]!.limit })
    // Then the new filter's own reload, from the top.
    await new Promise((r) => setTimeout(r, 300))
    await flushPromises()
    expect(backend.calls.filter((c) => c.op === 'call_log').at(-1)!.args).toMatchObject({ account: 'wx3333', before_id: null })
    w.unmount()
  }, 30_000)
})

// Each failed call on the dashboard links to its entry: the call log opens
// `?id=N` as that entry's detail, and shows the endpoint whole (wrapped, with
// a tooltip), never cut off.

import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { getBackend, setBackend } from '../src/api'
import type { CallLogView } from '../src/api/types'
import CallLogViewScreen from '../src/views/CallLogView.vue'
import { i18n, setLocale } from '../src/i18n'
import { RecordingBackend } from './helpers'

const LONG = 'wxa/business/getuserphonenumber/with/a/rather/long/path/that/used/to/be/cut'
const ENTRY = {
  id: 7,
  at_ms: 1_767_225_600_000,
  endpoint: LONG,
  method: 'POST',
  account: 'wx2222222222222222',
  attempt: 1,
  duration_ms: 12,
  http_status: 200,
  errcode: 40029,
  errmsg: 'invalid code',
  error_kind: 'api',
  failed: true,
  rid: null,
  request: null,
  response: null,
  explanation: null,
} as unknown as CallLogView

describe('call log links', () => {
  const saved = getBackend()
  afterEach(() => {
    setBackend(saved)
    document.body.innerHTML = ''
  })

  it('opens the entry named by ?id and shows the endpoint whole', async () => {
    setLocale('en')
    const backend = new RecordingBackend((op) => (op === 'call_log' ? [ENTRY] : op === 'call_log_entry' ? ENTRY : null))
    setBackend(backend)
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/calls', name: 'calls', component: CallLogViewScreen }] })
    await router.push('/calls?id=7')
    const Root = defineComponent({
      setup: () => () => h(NMessageProvider, () => h(NNotificationProvider, () => h(NDialogProvider, () => h(CallLogViewScreen)))),
    })
    const w = mount(Root, { global: { plugins: [i18n, router], stubs: { JsonBlock: true } }, attachTo: document.body })
    await flushPromises()
    expect(backend.calls.find((c) => c.op === 'call_log_entry')?.args).toEqual({ id: 7 })
    expect(document.querySelector('[data-testid="call-detail"]')).not.toBeNull()
    // The endpoint cell shows the whole path (wrapped, never cut), and repeats it as a tooltip.
    const cell = w.get('[data-testid="call-row-7"] code.call-endpoint')
    expect(cell.text()).toBe(LONG)
    expect(cell.attributes('title')).toBe(LONG)
    expect(cell.element.closest('.grid__cut')).toBeNull()
    w.unmount()
  })
})

// The push inbox screen: it lists what inbox_list returns, the errors filter
// asks the core again with `errors: true`, and a row opens its decoded fields
// with an "Apply again" button that calls inbox_apply and shows the new outcome.

import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { setBackend } from '../src/api'
import type { InboxEntryView } from '../src/api/types'
import InboxView from '../src/views/InboxView.vue'
import { i18n } from '../src/i18n'
import { RecordingBackend } from './helpers'
import { screenTestHooks } from './screen'

const FAILED: InboxEntryView = {
  id: 7,
  received_at: 1_767_225_600,
  source: 'receive',
  url_kind: 'component',
  component_appid: 'wx1111111111111111',
  authorizer_appid: 'wx2222222222222222',
  info_type: 'authorized',
  query: 'timestamp=1767225600&nonce=n&msg_signature=…',
  body_bytes: 512,
  decoded: { InfoType: 'authorized', AuthorizationCode: 'quer…' },
  outcome: 'failed',
  error: 'WeChat answered HTTP 502',
  applied_at: 1_767_225_601,
  forwarded: null,
}

function mountPage() {
  const Root = defineComponent({
    setup: () => () =>
      h(NMessageProvider, () => h(NNotificationProvider, () => h(NDialogProvider, () => h(InboxView)))),
  })
  return mount(Root, { global: { plugins: [i18n], stubs: { JsonBlock: true } }, attachTo: document.body })
}

describe('InboxView', () => {
  screenTestHooks()

  it('lists, filters errors, and applies an entry again', async () => {
    const backend = new RecordingBackend((op) => {
      if (op === 'inbox_list') return [FAILED]
      if (op === 'inbox_apply') return { ...FAILED, outcome: 'applied', error: null }
      return null
    })
    setBackend(backend)
    const w = mountPage()
    await flushPromises()
    expect(backend.calls[0]).toEqual({
      op: 'inbox_list',
      args: { component_appid: null, authorizer_appid: null, info_type: null, errors: false, limit: 200 },
    })
    const table = w.get('[data-testid="inbox-table"]')
    expect(table.text()).toContain('wx1111111111111111')
    expect(table.text()).toContain('failed')

    await w.get('[data-testid="inbox-filter-errors"]').trigger('click')
    await new Promise((r) => setTimeout(r, 300))
    await flushPromises()
    const lists = backend.calls.filter((c) => c.op === 'inbox_list')
    expect(lists.at(-1)!.args).toMatchObject({ errors: true })

    await w.get('[data-testid="inbox-row-7"]').trigger('click')
    await flushPromises()
    expect(document.body.querySelector('[data-testid="inbox-entry-error"]')?.textContent).toContain('HTTP 502')
    ;(document.body.querySelector('[data-testid="inbox-apply"]') as HTMLElement).click()
    await flushPromises()
    expect(backend.calls.filter((c) => c.op === 'inbox_apply')).toEqual([{ op: 'inbox_apply', args: { id: 7 } }])
    expect(document.body.querySelector('[data-testid="inbox-outcome"]')?.textContent).toBe('applied')
    w.unmount()
  })
})

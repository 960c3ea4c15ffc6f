// The catalogue's fix follows the UI language on the screens that show it:
// the errcode tool and the call log's explanation (notifications and inline
// alerts go through describeError, tested in logic.test.ts).

import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { setBackend } from '../src/api'
import type { CallLogView, ErrcodeView } from '../src/api/types'
import ErrcodeTool from '../src/views/tools/ErrcodeTool.vue'
import CallLogView_ from '../src/views/CallLogView.vue'
import { i18n, setLocale } from '../src/i18n'
import { RecordingBackend } from './helpers'
import { screenTestHooks } from './screen'

const VIEW: ErrcodeView = {
  errcode: 61004,
  known: true,
  zh: '第三方平台出口 IP 未设置（不在白名单中）',
  en: 'access clientip is not registered, not in whitelist',
  hint: 'Add the caller IP 203.0.113.77 to open.weixin.qq.com → …',
  hint_zh: '把调用方 IP 203.0.113.77 加到 open.weixin.qq.com → …',
  caller_ip: '203.0.113.77',
}

describe('ErrcodeTool', () => {
  screenTestHooks()

  it('shows the fix in the UI language and follows a language switch', async () => {
    const backend = new RecordingBackend((op) => (op === 'errcode_explain' ? VIEW : null))
    setBackend(backend)
    const w = mount(ErrcodeTool, { global: { plugins: [i18n] } })
    await w.get('[data-testid="tool-errcode-input"]').setValue('61004')
    await w.get('[data-testid="tool-errcode-submit"]').trigger('click')
    await flushPromises()
    expect(backend.calls.map((c) => c.op)).toEqual(['errcode_explain'])
    const hint = () => w.get('[data-testid="tool-errcode-hint"]').text()
    expect(hint()).toBe(VIEW.hint)
    setLocale('zh-CN')
    await flushPromises()
    expect(hint()).toBe(VIEW.hint_zh)
    setLocale('en')
    await flushPromises()
    expect(hint()).toBe(VIEW.hint)
    w.unmount()
  })
})


describe('CallLogView', () => {
  screenTestHooks()

  it("shows the explanation's fix in the UI language", async () => {
    const row: CallLogView = {
      id: 7,
      at_ms: 1_767_225_600_000,
      endpoint: '/cgi-bin/component/api_component_token',
      method: 'POST',
      account: 'wx1111111111111111',
      attempt: 1,
      duration_ms: 12,
      http_status: 200,
      errcode: 61004,
      errmsg: 'access clientip is not registered requestIP: 203.0.113.77',
      error_kind: 'api',
      failed: true,
      waiting: false,
      request: { query: '', body: {} },
      response: '{"errcode":61004}',
      explanation: VIEW,
      rid: null,
    }
    setBackend(new RecordingBackend((op) => (op === 'call_log' ? [row] : null)))
    const w = mount(CallLogView_, {
      global: { plugins: [i18n], stubs: { JsonBlock: true } },
      attachTo: document.body,
    })
    await flushPromises()
    await w.get('[data-testid="call-row-7"]').trigger('click')
    await flushPromises()
    const explanation = () => document.querySelector('[data-testid="call-explanation"]')?.textContent ?? ''
    expect(explanation()).toContain(VIEW.hint)
    setLocale('zh-CN')
    await flushPromises()
    expect(explanation()).toContain(VIEW.hint_zh)
    expect(explanation()).not.toContain(VIEW.hint)
    w.unmount()
  })
})

// The testers of a mini program, parameterised by whose credential they use:
// on an authorizer's page every panel sends the platform (component_appid),
// so the core uses the authorizer token; on a mini program's page the core's
// default is kept unless the operator picks a platform. Quota offers the
// AppSecret reset (clear_quota/v2) only where an AppSecret exists. Every
// error alert whose error carries a rid offers to look it up.

import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { setBackend } from '../src/api'
import { ApiError } from '../src/api/backend'
import type { AuthorizerView, PhoneView, RidView } from '../src/api/types'
import AuthorizerDetailView from '../src/views/authorizers/AuthorizerDetailView.vue'
import PhonePanel from '../src/views/apps/PhonePanel.vue'
import QuotaPanel from '../src/views/apps/QuotaPanel.vue'
import ErrorAlert from '../src/components/ErrorAlert'
import { canClearBySecret, componentOf, credentialKey, credentialOptions } from '../src/lib/credential'
import { i18n } from '../src/i18n'
import { RecordingBackend } from './helpers'
import { merchantView, screenTestHooks } from './screen'

const C = 'wx1111111111111111'
const A = 'wx2222222222222222'
const RID = '617682e0-09059ac5-34a8e2ea'

const ACTIVE: AuthorizerView = merchantView({ component_appid: C, appid: A, func_info: [17, 18] })

const PHONE: PhoneView = {
  appid: A,
  phone_number: '13800138000',
  pure_phone_number: '13800138000',
  country_code: '86',
  watermark_appid: A,
  watermark_timestamp: 1_767_225_600,
  watermark_ok: true,
}

function mountIn(child: () => ReturnType<typeof h>) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { render: () => null } },
      { path: '/authorizers', name: 'authorizers', component: { render: () => null } },
    ],
  })
  const Root = defineComponent({
    setup: () => () => h(NMessageProvider, () => h(NNotificationProvider, () => h(NDialogProvider, child))),
  })
  return mount(Root, { global: { plugins: [i18n, router], stubs: { TokenPanel: true, JsonBlock: true } }, attachTo: document.body })
}

describe('credential', () => {
  it('names the platform only for an authorizer', () => {
    expect(componentOf(undefined)).toBeNull()
    expect(componentOf({ kind: 'app' })).toBeNull()
    expect(componentOf({ kind: 'platform' })).toBeNull()
    expect(componentOf({ kind: 'authorizer', component: C })).toBe(C)
  })
  it('offers the AppSecret reset only where a secret exists', () => {
    expect(canClearBySecret({ kind: 'app' }, false)).toBe(false)
    expect(canClearBySecret({ kind: 'app' }, true)).toBe(true)
    expect(canClearBySecret({ kind: 'authorizer', component: C }, false)).toBe(true)
    expect(canClearBySecret({ kind: 'platform' }, false)).toBe(true)
    expect(canClearBySecret(undefined, false)).toBe(false)
  })
  it('lists the own secret first, then each platform', () => {
    const opts = credentialOptions(true, [C])
    expect(opts.map(credentialKey)).toEqual(['app', `authorizer:${C}`])
    expect(credentialOptions(false, [C]).map(credentialKey)).toEqual([`authorizer:${C}`])
  })
})

describe('panels parameterised by credential', () => {
  screenTestHooks()

  it('the phone panel sends the platform for an authorizer, nothing for an app', async () => {
    const backend = new RecordingBackend((op) => (op === 'phone' ? PHONE : null))
    setBackend(backend)
    for (const [via, expected] of [
      [{ kind: 'authorizer', component: C }, C],
      [{ kind: 'app' }, null],
    ] as const) {
      const w = mountIn(() => h(PhonePanel, { appid: A, via }))
      await w.get('[data-testid="phone-code"]').setValue('code-1')
      await w.get('[data-testid="phone-submit"]').trigger('click')
      await flushPromises()
      const call = backend.calls.filter((c) => c.op === 'phone').at(-1)
      expect(call?.args).toEqual({ appid: A, code: 'code-1', component_appid: expected })
      expect(w.get('[data-testid="phone-number"]').text()).toBe('13800138000')
      w.unmount()
    }
  })

  it('the quota panel offers clear_quota/v2 where an AppSecret exists', async () => {
    setBackend(new RecordingBackend())
    let w = mountIn(() => h(QuotaPanel, { appid: A, via: { kind: 'app' }, hasSecret: false }))
    expect(w.find('[data-testid="quota-clear-secret"]').exists()).toBe(false)
    w.unmount()
    w = mountIn(() => h(QuotaPanel, { appid: A, via: { kind: 'authorizer', component: C } }))
    expect(w.find('[data-testid="quota-clear-secret"]').exists()).toBe(true)
    w.unmount()
  })

  it("a platform's quota is read with its own token and can be reset with its AppSecret", async () => {
    const backend = new RecordingBackend((op) => (op === 'quota_get' ? { appid: C, cgi_path: '/x', daily_limit: 2000, used: 2000, remain: 0, rate_limit: null, component_rate_limit: null } : null))
    setBackend(backend)
    const w = mountIn(() => h(QuotaPanel, { appid: C, via: { kind: 'platform' }, defaultPath: '/cgi-bin/component/api_component_token' }))
    expect(w.find('[data-testid="quota-clear-secret"]').exists()).toBe(true)
    await w.get('[data-testid="quota-get"]').trigger('click')
    await flushPromises()
    expect(backend.calls.find((c) => c.op === 'quota_get')?.args).toEqual({
      appid: C,
      cgi_path: '/cgi-bin/component/api_component_token',
      component_appid: null,
    })
    w.unmount()
  })

  it("an active authorizer's page has every tester, using the authorizer token", async () => {
    const backend = new RecordingBackend((op) => {
      if (op === 'authorizer_show') return ACTIVE
      if (op === 'sessions') return []
      if (op === 'phone') return PHONE
      return null
    })
    setBackend(backend)
    const w = mountIn(() => h(AuthorizerDetailView, { component: C, appid: A }))
    await flushPromises()
    for (const tab of ['login', 'phone', 'checksession', 'decrypt', 'quota']) {
      expect(w.find(`[data-testid="authorizer-tab-${tab}"]`).exists(), tab).toBe(true)
    }
    // The platform is fixed: no platform picker in the login panel.
    expect(w.find('[data-testid="login-component"]').exists()).toBe(false)
    // A tab's panel is drawn the first time it is opened (then kept).
    expect(w.find('[data-testid="phone-code"]').exists()).toBe(false)
    await w.get('[data-testid="authorizer-tab-phone"]').trigger('click')
    await flushPromises()
    await w.get('[data-testid="phone-code"]').setValue('code-2')
    await w.get('[data-testid="phone-submit"]').trigger('click')
    await flushPromises()
    expect(backend.calls.find((c) => c.op === 'phone')?.args).toEqual({ appid: A, code: 'code-2', component_appid: C })
    w.unmount()
  })

  it('a revoked authorizer gets no testers', async () => {
    setBackend(new RecordingBackend((op) => (op === 'authorizer_show' ? { ...ACTIVE, status: 'revoked' } : op === 'sessions' ? [] : null)))
    const w = mountIn(() => h(AuthorizerDetailView, { component: C, appid: A }))
    await flushPromises()
    expect(w.find('[data-testid="authorizer-testers"]').exists()).toBe(false)
    w.unmount()
  })
})

describe('rid lookup on error alerts', () => {
  screenTestHooks()

  it('shows a button only when the error has a rid, and looks it up for the account', async () => {
    const view: RidView = {
      rid: RID,
      appid: A,
      invoke_time: 1_767_225_600,
      cost_in_ms: 3,
      request_url: '/wxa/business/getuserphonenumber?access_token=abcd…',
      request_body: '{"code":"…"}',
      response_body: '{"errcode":40029}',
      client_ip: '127.0.0.1',
    }
    const backend = new RecordingBackend((op) => (op === 'rid_lookup' ? view : null))
    setBackend(backend)
    const plain = new ApiError({ code: 'api', message: 'WeChat error 40029', errcode: 40029 })
    let w = mountIn(() => h(ErrorAlert, { error: plain, testid: 'e' }))
    await flushPromises()
    expect(w.find('[data-testid="e-rid-open"]').exists()).toBe(false)
    w.unmount()

    const withRid = new ApiError({ code: 'api', message: 'WeChat error 40029', errcode: 40029, rid: RID })
    w = mountIn(() => h(ErrorAlert, { error: withRid, testid: 'e', appid: A, component: C }))
    await flushPromises()
    await w.get('[data-testid="e-rid-open"]').trigger('click')
    await flushPromises()
    expect(backend.calls.find((c) => c.op === 'rid_lookup')?.args).toEqual({ rid: RID, appid: A, component_appid: C })
    expect(document.querySelector('[data-testid="e-rid-url"]')?.textContent).toContain('getuserphonenumber')
    w.unmount()
  })
})

// useAction: the one submit / loading / error pattern, with the invalidation
// bus that keeps every panel's data fresh after an action elsewhere. The
// stale-state cases new users met are checked on the real panels: API quota
// never shows an old path's numbers under a new error, Decrypt data and
// Check session select the newest login, the platform token card drops
// "No usable ticket" once a ticket is stored, and "Required" goes from a
// field filled automatically.

import { describe, expect, it } from 'vitest'
import { defineComponent, effectScope, h, nextTick, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { setBackend } from '../src/api'
import { ApiError } from '../src/api/backend'
import type { SessionView } from '../src/api/types'
import { invalidate, listenerCount, useAction } from '../src/composables/useAction'
import { sessionToSelect } from '../src/lib/sessions'
import QuotaPanel from '../src/views/apps/QuotaPanel.vue'
import DecryptPanel from '../src/views/apps/DecryptPanel.vue'
import LoginPanel from '../src/views/apps/LoginPanel.vue'
import TokenPanel from '../src/components/TokenPanel.vue'
import TicketPanel from '../src/views/components/TicketPanel.vue'
import { i18n } from '../src/i18n'
import { RecordingBackend } from './helpers'
import { screenTestHooks } from './screen'

const A = 'wx2222222222222222'
const C = 'wx1111111111111111'

function session(openid: string, created_at: number): SessionView {
  return { appid: A, openid, unionid: null, session_key_masked: 'ab…cd', via_component: null, created_at }
}

function mountIn(child: () => ReturnType<typeof h>) {
  const Root = defineComponent({
    setup: () => () => h(NMessageProvider, () => h(NNotificationProvider, () => h(NDialogProvider, child))),
  })
  return mount(Root, { global: { plugins: [i18n], stubs: { JsonBlock: true } }, attachTo: document.body })
}

describe('useAction', () => {
  it('validates the form first, tracks loading, keeps the result and the error', async () => {
    const scope = effectScope()
    await scope.run(async () => {
      let valid = false
      let calls = 0
      const form = ref({ validate: () => (valid ? Promise.resolve() : Promise.reject(new Error('invalid'))) })
      let loadingInside = false
      const a = useAction(
        async (n: number) => {
          calls++
          loadingInside = a.loading.value
          if (n < 0) throw new ApiError({ code: 'invalid_input', message: 'negative' })
          return n * 2
        },
        { form },
      )
      expect(await a.run(1)).toBeUndefined()
      expect(calls).toBe(0)
      valid = true
      expect(await a.run(2)).toBe(4)
      expect(loadingInside).toBe(true)
      expect(a.loading.value).toBe(false)
      expect(a.result.value).toBe(4)
      // A failing run never leaves the previous result under its error.
      await a.run(-1)
      expect(a.result.value).toBeNull()
      expect(a.error.value?.code).toBe('invalid_input')
      await a.run(3)
      expect(a.error.value).toBeNull()
      expect(a.result.value).toBe(6)
    })
    scope.stop()
  })

  it('reloads the actions showing an entity after another action changed it, never itself', async () => {
    const scope = effectScope()
    const counts = { list: 0, other: 0, save: 0 }
    await scope.run(async () => {
      const list = useAction(async () => ++counts.list, { reloadOn: ['app'] })
      const other = useAction(async () => ++counts.other, { reloadOn: ['ticket'] })
      const save = useAction(async () => ++counts.save, { invalidates: ['app'], reloadOn: ['app'] })
      // (Created before the first await: the scope only collects what is set up synchronously, as in a component's setup.)
      const never = useAction(async () => ++counts.other, { reloadOn: ['app'] })
      await list.run()
      await other.run()
      await save.run()
      await flushPromises()
      expect(counts).toEqual({ list: 2, other: 1, save: 1 })
      expect(list.result.value).toBe(2)
      // A loader that never ran has nothing to reload.
      invalidate(['app'])
      await flushPromises()
      expect(never.result.value).toBeNull()
      // The outside change re-ran save too, whose own change reloaded list again.
      expect(counts).toEqual({ list: 4, other: 1, save: 2 })
    })
    const before = listenerCount()
    scope.stop()
    expect(listenerCount()).toBe(before - 4)
  })

  it('forgets result and error on resetOn, and an answer older than the reset is dropped', async () => {
    const scope = effectScope()
    await scope.run(async () => {
      let release: (v: string) => void = () => {}
      const a = useAction(() => new Promise<string>((r) => (release = r)), { resetOn: ['session'] })
      const p = a.run()
      invalidate(['session'])
      release('late')
      await p
      expect(a.result.value).toBeNull()
      expect(a.loading.value).toBe(false)
      await Promise.all([a.run(), Promise.resolve().then(() => release('fresh'))])
      expect(a.result.value).toBe('fresh')
      invalidate(['session'])
      expect(a.result.value).toBeNull()
    })
    scope.stop()
  })
})

describe('which login a tester selects', () => {
  it('selects a new login as soon as it is listed, else keeps the choice', () => {
    const old = session('o-old', 100)
    const mid = session('o-mid', 200)
    expect(sessionToSelect([], null, null)).toBeNull()
    expect(sessionToSelect([mid, old], null, null)).toBe('o-mid')
    // The operator picked the older one; nothing new: it stays.
    expect(sessionToSelect([mid, old], 'o-old', 'o-mid@200')).toBe('o-old')
    // A new login arrives (listed anywhere in the list): it is selected.
    const fresh = session('o-new', 300)
    expect(sessionToSelect([mid, old, fresh], 'o-old', 'o-mid@200')).toBe('o-new')
    // The same user logging in again is a new login too.
    expect(sessionToSelect([session('o-old', 400), mid], 'o-mid', 'o-mid@200')).toBe('o-old')
    // A choice that disappeared falls back to the newest.
    expect(sessionToSelect([mid], 'o-gone', 'o-mid@200')).toBe('o-mid')
  })
})

describe('no stale state on the panels', () => {
  screenTestHooks()

  it('API quota: a new path forgets the old numbers, and a failure shows none', async () => {
    let fail = false
    setBackend(
      new RecordingBackend((op, args) => {
        if (op !== 'quota_get') return null
        if (fail) throw { code: 'wechat', message: 'errcode 76021', errcode: 76021 }
        return { appid: A, cgi_path: (args as { cgi_path: string }).cgi_path, daily_limit: 2000, used: 7, remain: 1993, rate_limit: null, component_rate_limit: null }
      }),
    )
    const w = mountIn(() => h(QuotaPanel, { appid: A, via: { kind: 'app' }, defaultPath: '/cgi-bin/message/custom/send' }))
    await w.get('[data-testid="quota-get"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="quota-result"]').exists()).toBe(true)
    await w.get('[data-testid="quota-path"]').setValue('/wxa/getwxacode')
    await nextTick()
    expect(w.find('[data-testid="quota-result"]').exists()).toBe(false)
    fail = true
    await w.get('[data-testid="quota-get"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="quota-error"]').exists()).toBe(true)
    expect(w.find('[data-testid="quota-result"]').exists()).toBe(false)
    w.unmount()
  })

  it('Decrypt data selects the newest login after a new login', async () => {
    setBackend(new RecordingBackend())
    const sessions = ref([session('o-first', 100)])
    const w = mountIn(() => h(DecryptPanel, { appid: A, sessions: sessions.value }))
    await flushPromises()
    const selected = () => w.get('[data-testid="decrypt-session"]').text()
    expect(selected()).toContain('o-first')
    sessions.value = [session('o-second', 200), session('o-first', 100)]
    await flushPromises()
    expect(selected()).toContain('o-second')
    w.unmount()
  })

  it("the platform token card drops 'No usable ticket' once a ticket is stored", async () => {
    setBackend(
      new RecordingBackend((op) => {
        if (op === 'ticket_status') return { component_appid: C, valid: true, age_secs: 1, received_at: 1, expires_at: 2, ticket_masked: 't…', source: 'manual', count: 1, last_rejected: null }
        if (op === 'ticket_set') return { component_appid: C, valid: true, age_secs: 0, received_at: 1, expires_at: 2, ticket_masked: 't…', source: 'manual', count: 1, last_rejected: null }
        return null
      }),
    )
    const load = () => Promise.reject(new ApiError({ code: 'ticket_unavailable', message: 'no ticket stored' }))
    const w = mountIn(() => h('div', [h(TicketPanel, { componentAppid: C }), h(TokenPanel, { kind: 'component', load, testid: 'ct' })]))
    await flushPromises()
    await w.get('[data-testid="ct-get"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="ct-error"]').text()).toContain('No usable ticket')
    await w.get('[data-testid="ticket-tab-ticket"]').trigger('click')
    await flushPromises()
    await w.get('[data-testid="ticket-input"]').setValue('ticket@@@abc')
    await w.get('[data-testid="ticket-submit"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="ticket-saved"]').exists()).toBe(true)
    expect(w.find('[data-testid="ct-error"]').exists()).toBe(false)
    w.unmount()
  })

  it("'Required' goes from a field the sandbox filled", async () => {
    setBackend(new RecordingBackend((op) => (op === 'sandbox_issue_js_code' ? { code: 'sandbox-code-1' } : null)))
    const { settings } = await import('../src/state/settings')
    settings.value = { environment: { kind: 'sandbox' } } as never
    const w = mountIn(() => h(LoginPanel, { appid: A, via: { kind: 'authorizer', component: C } }))
    await w.get('[data-testid="login-submit"]').trigger('click')
    await flushPromises()
    expect(w.text()).toContain('Required')
    await w.get('[data-testid="login-sandbox-code"]').trigger('click')
    await flushPromises()
    expect((w.get('[data-testid="login-code"]').element as HTMLInputElement).value).toBe('sandbox-code-1')
    expect(w.text()).not.toContain('Required')
    settings.value = null
    w.unmount()
  })
})

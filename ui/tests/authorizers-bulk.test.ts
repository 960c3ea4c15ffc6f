// The Authorizers page does no harm in bulk: "Refresh due tokens" asks the
// core for a plain refresh (force: false), "Force-refresh all…" first shows
// how many calls it will make and sends force + confirmed only after the
// operator agrees, and a sync whose revocations were held asks before it is
// run again confirmed.

import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { setBackend } from '../src/api'
import AuthorizersView from '../src/views/authorizers/AuthorizersView.vue'
import { i18n } from '../src/i18n'
import { RecordingBackend } from './helpers'
import { merchantView, platformView, screenTestHooks } from './screen'

const C = 'wx1111111111111111'

const COMPONENT = platformView({ appid: C, authorizers: { active: 6, revoked: 0 } })

function answer(results: Record<string, unknown>) {
  return (op: string) => {
    if (op === 'component_list') return [COMPONENT]
    if (op === 'authorizer_page') return { items: [], total: 0, missing_profiles: 0, limit: 50, offset: 0 }
    if (op === 'authorizer_refresh' || op === 'authorizer_sync') return { job_id: `job-${op}` }
    if (op === 'authorizer_refresh_plan') return { component_appid: C, active: 6, due: 2, calls: 6, forced: true }
    if (op === 'job_status') return { job_id: 'j', kind: 'k', state: 'done', done: 1, total: 1, result: results.job, error: null }
    return null
  }
}

function mountPage() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: AuthorizersView },
      { path: '/authorizers/:component/:appid', name: 'authorizer', component: { render: () => null } },
      { path: '/components', component: { render: () => null } },
      { path: '/authorize/:appid', name: 'authorize', component: { render: () => null } },
    ],
  })
  const Root = defineComponent({
    setup: () => () =>
      h(NMessageProvider, () => h(NNotificationProvider, () => h(NDialogProvider, () => h(AuthorizersView)))),
  })
  return mount(Root, { global: { plugins: [i18n, router] }, attachTo: document.body })
}

const REFRESHED = { component_appid: C, total: 6, refreshed: 2, failed: [], skipped_revoked: 0, skipped_fresh: 4, forced: false, cancelled: false, not_started: 0 }

describe('AuthorizersView bulk actions', () => {
  screenTestHooks()

  it('refreshes only due tokens, and forces all only after a dialog with the call count', async () => {
    const backend = new RecordingBackend(answer({ job: REFRESHED }))
    setBackend(backend)
    const w = mountPage()
    await flushPromises()

    await w.get('[data-testid="authorizers-refresh-all"]').trigger('click')
    await flushPromises()
    const plain = backend.calls.find((c) => c.op === 'authorizer_refresh')!
    expect(plain.args).toMatchObject({ component_appid: C, all: true, force: false, confirmed: false })
    expect(w.get('[data-testid="refresh-report"]').text()).toContain('4 still valid skipped')

    await w.get('[data-testid="authorizers-force-all"]').trigger('click')
    await flushPromises()
    const dialog = document.querySelector('[data-testid="confirm-dialog"]')
    expect(dialog?.textContent).toContain('6 api_authorizer_token calls')
    expect(backend.calls.filter((c) => c.op === 'authorizer_refresh')).toHaveLength(1)
    ;(document.querySelector('[data-testid="confirm-ok"]') as HTMLElement).click()
    await flushPromises()
    const forced = backend.calls.filter((c) => c.op === 'authorizer_refresh')
    expect(forced).toHaveLength(2)
    expect(forced[1]!.args).toMatchObject({ all: true, force: true, confirmed: true })
    w.unmount()
  })

  it('asks before a held mass revocation and syncs again confirmed', async () => {
    const held = {
      component_appid: C, added: 0, updated_refresh_tokens: 0, revoked: 0, unchanged: 3, total: 3,
      active_before: 6, would_revoke: 3, revocations_held: true, message: 'would revoke 3 of 6',
    }
    const backend = new RecordingBackend(answer({ job: held }))
    setBackend(backend)
    const w = mountPage()
    await flushPromises()
    await w.get('[data-testid="authorizers-sync"]').trigger('click')
    await flushPromises()
    const dialog = document.querySelector('[data-testid="confirm-dialog"]')
    expect(dialog?.textContent).toContain('3 of the 6')
    const syncs = () => backend.calls.filter((c) => c.op === 'authorizer_sync')
    expect(syncs()).toHaveLength(1)
    expect(syncs()[0]!.args).toEqual({ component_appid: C, confirmed: false })
    ;(document.querySelector('[data-testid="confirm-ok"]') as HTMLElement).click()
    await flushPromises()
    expect(syncs()).toHaveLength(2)
    expect(syncs()[1]!.args).toEqual({ component_appid: C, confirmed: true })
    w.unmount()
  })

  it('never shows a slower, older search over a newer one', async () => {
    const page = (total: number) => ({ items: [], total, missing_profiles: 0, limit: 50, offset: 0 })
    let answerOld: (v: unknown) => void = () => {}
    const backend = new RecordingBackend((op, args) => {
      if (op === 'authorizer_page' && (args as { search: string | null }).search === 'wxa')
        return new Promise((resolve) => (answerOld = resolve))
      if (op === 'authorizer_page') return page(20)
      return answer({})(op)
    })
    setBackend(backend)
    const w = mountPage()
    await flushPromises()
    const count = () => w.get('[data-testid="authorizers-count"]').text()
    expect(count()).toContain('20')
    const search = w.get('[data-testid="authorizers-search"]')
    await search.setValue('wxa')
    await new Promise((r) => setTimeout(r, 300))
    await search.setValue('')
    await new Promise((r) => setTimeout(r, 300))
    await flushPromises()
    expect(count()).toContain('20')
    answerOld(page(1)) // the narrower search answers last
    await flushPromises()
    expect(count()).toContain('20')
    w.unmount()
  })
  it('asks for the first page once, together with the platforms, when it picks the only platform itself', async () => {
    const backend = new RecordingBackend(answer({}))
    setBackend(backend)
    const w = mountPage()
    // Both are out before either has answered: no waterfall.
    expect(backend.calls.map((c) => c.op).sort()).toEqual(['authorizer_page', 'component_list'])
    await flushPromises()
    const pages = backend.calls.filter((c) => c.op === 'authorizer_page')
    expect(pages).toHaveLength(1)
    expect(pages[0]!.args).toMatchObject({ component_appid: null, offset: 0 })
    // The only platform is picked (the sync and refresh buttons need it) without a second page.
    expect((w.find('[data-testid="authorizers-sync"]').element as HTMLButtonElement).disabled).toBe(false)
    w.unmount()
  })
  it('says "no platforms" only once the platforms have answered, and reloads on a filter changed after the pick', async () => {
    let release: (v: unknown) => void = () => {}
    const platforms = new Promise((r) => (release = r))
    const row = merchantView({ component_appid: C, appid: 'wx2222222222222222', nick_name: 'Shop' })
    const backend = new RecordingBackend((op, args) => {
      if (op === 'component_list') return platforms
      if (op === 'authorizer_page') return { items: [row], total: 1, missing_profiles: 0, limit: 20, offset: (args as { offset: number }).offset }
      return null
    })
    setBackend(backend)
    const w = mountPage()
    await flushPromises()
    // The page answered first: its row is shown, and nothing claims there is no platform.
    expect(w.find(`[data-testid="authorizer-row-${row.appid}"]`).exists()).toBe(true)
    expect(w.find('[data-testid="authorizers-empty"]').exists()).toBe(false)
    release([COMPONENT])
    await flushPromises()
    expect(w.find('[data-testid="authorizers-empty"]').exists()).toBe(false)
    const pages = () => backend.calls.filter((c) => c.op === 'authorizer_page')
    expect(pages()).toHaveLength(1)
    // A filter the operator changes afterwards asks again, for the picked platform.
    await w.get('[data-testid="authorizers-search"]').setValue('shop')
    await new Promise((r) => setTimeout(r, 300))
    await flushPromises()
    expect(pages()).toHaveLength(2)
    expect(pages()[1]!.args).toMatchObject({ component_appid: C, search: 'shop', offset: 0 })
    w.unmount()
  })
})

// The merchants list and the merchant page: the "fetch missing profiles" job
// after a sync, notes and tags saved, and the re-authorize link made for this
// merchant alone (same platform, biz_appid preset). The table's rows (full
// names, token expiry, tags) are virtual-scrolled, so the browser test
// (tests/e2e/specs/meter.spec.ts) checks them in a real page.

import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { setBackend } from '../src/api'
import type { AuthorizerView } from '../src/api/types'
import AuthorizersView from '../src/views/authorizers/AuthorizersView.vue'
import MerchantCard from '../src/views/authorizers/MerchantCard.vue'
import { i18n } from '../src/i18n'
import { RecordingBackend } from './helpers'
import { platformView, screenTestHooks } from './screen'

const C = 'wx1111111111111111'
const A = 'wx2222222222222222'
const B = 'wx4444444444444444'

const COMPONENT = platformView({ appid: C, authorizers: { active: 2, revoked: 0 } })

const NAMED: AuthorizerView = {
  component_appid: C,
  appid: A,
  nick_name: 'Shop',
  account_type: 'mini_program',
  status: 'active',
  func_info: [17],
  has_refresh_token: true,
  authorized_at: 1_767_225_600,
  revoked_at: null,
  updated_at: 1_767_225_600,
  token_expires_at: 1_767_232_800,
  notes: 'Contact Ms Li',
  tags: ['vip'],
}
const SYNCED: AuthorizerView = { ...NAMED, appid: B, nick_name: '', account_type: 'unknown', token_expires_at: null, notes: '', tags: [] }

function mountWith(component: unknown, props: Record<string, unknown> = {}) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { render: () => null } },
      { path: '/authorizers/:component/:appid', name: 'authorizer', component: { render: () => null } },
      { path: '/components', component: { render: () => null } },
      { path: '/authorize/:appid', name: 'authorize', component: { render: () => null } },
    ],
  })
  const Root = defineComponent({
    setup: () => () =>
      h(NMessageProvider, () => h(NNotificationProvider, () => h(NDialogProvider, () => h(component as never, props)))),
  })
  return mount(Root, { global: { plugins: [i18n, router] }, attachTo: document.body })
}

describe('merchants list', () => {
  screenTestHooks()

  it('offers the missing profiles after a sync and fetches them in one job', async () => {
    let fetched = false
    const REPORT = { component_appid: C, total: 1, fetched: 1, failed: [], cancelled: false, not_started: 0 }
    const backend = new RecordingBackend((op) => {
      if (op === 'component_list') return [COMPONENT]
      if (op === 'authorizer_page') {
        const items = fetched ? [NAMED, { ...SYNCED, nick_name: 'Fetched' }] : [NAMED, SYNCED]
        return { items, total: 2, missing_profiles: fetched ? 0 : 1, limit: 50, offset: 0 }
      }
      if (op === 'authorizer_fetch_missing') {
        fetched = true
        return { job_id: 'job-1' }
      }
      if (op === 'job_status') return { job_id: 'job-1', kind: 'authorizer_fetch_missing', state: 'done', done: 1, total: 1, result: REPORT, error: null }
      return null
    })
    setBackend(backend)
    const w = mountWith(AuthorizersView)
    await flushPromises()

    // One row has no profile: the bulk job fetches it.
    expect(w.get('[data-testid="profiles-missing"]').text()).toContain('1 of these without a profile')
    await w.get('[data-testid="authorizers-fetch-missing"]').trigger('click')
    await flushPromises()
    await new Promise((r) => setTimeout(r, 300))
    await flushPromises()
    expect(backend.calls.find((c) => c.op === 'authorizer_fetch_missing')?.args).toEqual({ component_appid: C, concurrency: null })
    expect(w.get('[data-testid="profiles-report"]').text()).toContain('1 fetched')
    expect(w.find('[data-testid="profiles-missing"]').exists()).toBe(false)
    w.unmount()
  })
})

describe('merchants list paging', () => {
  screenTestHooks()

  it('asks the core for one page at a time and shows the total', async () => {
    const TOTAL = 60
    const row = (i: number) => ({ ...NAMED, appid: `wx${i.toString(16).padStart(16, '0')}`, nick_name: `Shop ${i}` })
    const backend = new RecordingBackend((op, args) => {
      if (op === 'component_list') return [COMPONENT]
      if (op === 'authorizer_page') {
        const { limit, offset } = args as { limit: number; offset: number }
        // A few rows a page keep the test light; what matters is what the screen asks and shows.
        const items = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset, 3)) }, (_, k) => row(offset + k))
        return { items, total: TOTAL, missing_profiles: 0, limit, offset }
      }
      return null
    })
    setBackend(backend)
    const w = mountWith(AuthorizersView)
    await flushPromises()

    const pages = () => backend.calls.filter((c) => c.op === 'authorizer_page').map((c) => c.args as { limit: number; offset: number; search: string | null })
    // The first page goes out with the platforms: every platform, which here is the only one.
    expect(pages()[0]).toMatchObject({ component_appid: null, limit: 20, offset: 0 })
    expect(w.findAll('[data-testid^="authorizer-row-"]')).toHaveLength(3)
    expect(w.find(`[data-testid="authorizer-row-${row(0).appid}"]`).exists()).toBe(true)
    expect(w.get('[data-testid="authorizers-count"]').text()).toContain(String(TOTAL))
    // The last page: its offset asked of the core, its rows shown.
    const last = w.findAll('.plain-pager__item').find((b) => b.text() === '3')
    await last!.trigger('click')
    await flushPromises()
    expect(pages().at(-1)).toMatchObject({ limit: 20, offset: 40 })
    expect(w.find(`[data-testid="authorizer-row-${row(40).appid}"]`).exists()).toBe(true)
    expect(w.find(`[data-testid="authorizer-row-${row(0).appid}"]`).exists()).toBe(false)
    // A new search starts again at the first page.
    await w.get('[data-testid="authorizers-search"]').setValue('shop')
    await new Promise((r) => setTimeout(r, 300))
    await flushPromises()
    expect(pages().at(-1)).toMatchObject({ search: 'shop', offset: 0 })
    w.unmount()
  }, 30_000)
})

describe('merchant page', () => {
  screenTestHooks()

  it('saves notes and tags, and makes a re-authorize link for this merchant', async () => {
    const backend = new RecordingBackend((op, args) => {
      if (op === 'merchant_notes_set') return { ...NAMED, ...(args as object) }
      if (op === 'auth_link') return { url: `https://open.weixin.qq.com/x?component_appid=${C}&biz_appid=${A}`, kind: 'pc', redirect_uri: 'https://d.example.com/cb' }
      return null
    })
    setBackend(backend)
    const w = mountWith(MerchantCard, { authorizer: NAMED })
    await flushPromises()
    expect((w.get('[data-testid="merchant-notes"]').element as HTMLTextAreaElement).value).toBe('Contact Ms Li')
    await w.get('[data-testid="merchant-notes"]').setValue('Contact Ms Li, renews in March')
    await w.get('[data-testid="merchant-save"]').trigger('click')
    await flushPromises()
    expect(backend.calls.find((c) => c.op === 'merchant_notes_set')?.args).toEqual({
      component_appid: C,
      appid: A,
      notes: 'Contact Ms Li, renews in March',
      tags: ['vip'],
    })

    await w.get('[data-testid="merchant-reauth"]').trigger('click')
    await flushPromises()
    expect(backend.calls.find((c) => c.op === 'auth_link')?.args).toEqual({
      component_appid: C,
      kind: 'pc',
      redirect_uri: null,
      auth_type: null,
      biz_appid: A,
      category_ids: [],
    })
    expect(w.get('[data-testid="merchant-reauth-url"]').text()).toContain(`biz_appid=${A}`)
    w.unmount()
  })
})

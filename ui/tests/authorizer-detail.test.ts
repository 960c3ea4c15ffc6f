// The authorizer detail page and the profile a sync leaves out: an authorizer
// stored with its refresh token only shows a note saying the profile was not
// fetched and a button that fetches it (authorizer_refresh_info); afterwards
// the page shows the name and type, and the same button stays in the card
// header to fetch it again. Revoked authorizers get no button (the core
// refuses them), and a failure is shown in place.

import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { setBackend } from '../src/api'
import type { AuthorizerView } from '../src/api/types'
import AuthorizerDetailView from '../src/views/authorizers/AuthorizerDetailView.vue'
import { i18n, setLocale } from '../src/i18n'
import { RecordingBackend } from './helpers'
import { merchantView, screenTestHooks } from './screen'

const C = 'wx1111111111111111'
const A = 'wx2222222222222222'

/** What a sync stores: a refresh token, no profile. */
const SYNCED: AuthorizerView = merchantView({ component_appid: C, appid: A, nick_name: '', account_type: 'unknown' })

/** The same authorizer after api_get_authorizer_info. */
const PROFILED: AuthorizerView = {
  ...SYNCED,
  nick_name: '沙箱小程序 Sandbox MP 2222',
  account_type: 'mini_program',
  func_info: [17, 18],
  principal_name: 'Sandbox Tech Co., Ltd.',
  user_name: 'gh_0123456789ab',
  updated_at: 1_767_225_700,
  info: { nick_name: '沙箱小程序 Sandbox MP 2222', MiniProgramInfo: {} },
}

function mountPage() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { render: () => null } },
      { path: '/authorizers', name: 'authorizers', component: { render: () => null } },
    ],
  })
  const Root = defineComponent({
    setup: () => () =>
      h(NMessageProvider, () =>
        h(NNotificationProvider, () => h(NDialogProvider, () => h(AuthorizerDetailView, { component: C, appid: A }))),
      ),
  })
  return mount(Root, {
    global: { plugins: [i18n, router], stubs: { TokenPanel: true, JsonBlock: true } },
    attachTo: document.body,
  })
}

describe('AuthorizerDetailView', () => {
  screenTestHooks()

  it('offers to fetch a missing profile, then shows it', async () => {
    const backend = new RecordingBackend((op) => {
      if (op === 'authorizer_show') return SYNCED
      if (op === 'authorizer_refresh_info') return PROFILED
      return null
    })
    setBackend(backend)
    const w = mountPage()
    await flushPromises()

    const note = w.get('[data-testid="authorizer-profile-missing"]')
    expect(note.text()).toContain('Profile not fetched yet')
    expect(note.text()).toContain('a sync stores only the token')
    expect(w.get('[data-testid="authorizer-name"]').text()).toBe('(unnamed)')
    // One button, inside the note (not also in the header).
    const buttons = w.findAll('[data-testid="authorizer-info-refresh"]')
    expect(buttons).toHaveLength(1)
    expect(note.find('[data-testid="authorizer-info-refresh"]').exists()).toBe(true)
    expect(buttons[0]!.text()).toBe('Refresh profile')
    // Existing test ids stay.
    for (const id of ['authorizer-header', 'authorizer-back', 'authorizer-card', 'authorizer-appid', 'authorizer-status']) {
      expect(w.find(`[data-testid="${id}"]`).exists(), id).toBe(true)
    }

    await buttons[0]!.trigger('click')
    await flushPromises()
    // (The testers below the card load the stored sessions too.)
    const ops = backend.calls.filter((c) => c.op.startsWith('authorizer_'))
    expect(ops.map((c) => c.op)).toEqual(['authorizer_show', 'authorizer_refresh_info'])
    expect(ops[1]!.args).toEqual({ appid: A, component_appid: C })
    expect(w.find('[data-testid="authorizer-profile-missing"]').exists()).toBe(false)
    expect(w.get('[data-testid="authorizer-name"]').text()).toBe(PROFILED.nick_name)
    expect(w.get('[data-testid="authorizer-card"]').text()).toContain('Mini program')
    expect(w.get('[data-testid="authorizer-header"]').text()).toContain(PROFILED.nick_name)
    // The button moved to the card header: the profile can be fetched again.
    const again = w.findAll('[data-testid="authorizer-info-refresh"]')
    expect(again).toHaveLength(1)
    await again[0]!.trigger('click')
    await flushPromises()
    expect(backend.calls.filter((c) => c.op === 'authorizer_refresh_info')).toHaveLength(2)
    w.unmount()
  })

  it('speaks Chinese under zh-CN', async () => {
    setLocale('zh-CN')
    setBackend(new RecordingBackend((op) => (op === 'authorizer_show' ? SYNCED : null)))
    const w = mountPage()
    await flushPromises()
    expect(w.get('[data-testid="authorizer-profile-missing"]').text()).toContain('尚未获取资料')
    expect(w.get('[data-testid="authorizer-info-refresh"]').text()).toBe('从微信更新资料')
    w.unmount()
  })

  it('shows a failure in place and keeps the note', async () => {
    setBackend(
      new RecordingBackend((op) => {
        if (op === 'authorizer_show') return SYNCED
        if (op === 'authorizer_refresh_info') throw { code: 'api', message: 'WeChat error 61003', errcode: 61003, hint: 'authorize again' }
        return null
      }),
    )
    const w = mountPage()
    await flushPromises()
    await w.get('[data-testid="authorizer-info-refresh"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="authorizer-info-error"]').text()).toContain('WeChat error 61003')
    expect(w.find('[data-testid="authorizer-profile-missing"]').exists()).toBe(true)
    w.unmount()
  })

  it('offers nothing for a revoked authorizer', async () => {
    const revoked: AuthorizerView = { ...SYNCED, status: 'revoked', revoked_at: 1_767_225_800 }
    setBackend(new RecordingBackend((op) => (op === 'authorizer_show' ? revoked : null)))
    const w = mountPage()
    await flushPromises()
    expect(w.find('[data-testid="authorizer-info-refresh"]').exists()).toBe(false)
    expect(w.find('[data-testid="authorizer-profile-missing"]').exists()).toBe(false)
    expect(w.find('[data-testid="authorizer-revoked-note"]').exists()).toBe(true)
    w.unmount()
  })
})

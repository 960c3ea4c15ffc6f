// The authorize wizard offers the permanent link served by `wxdesk receive`
// (and its QR code) when the platform has a receive URL: built by the core
// offline (receive_link) from the options chosen, no pre_auth_code spent.
// Without one it says how to get it.

import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { setBackend } from '../src/api'
import type { ComponentView } from '../src/api/types'
import AuthorizeWizardView from '../src/views/components/AuthorizeWizardView.vue'
import { i18n } from '../src/i18n'
import { RecordingBackend } from './helpers'
import { screenTestHooks } from './screen'

const C = 'wx1111111111111111'
const BASE = 'https://wx.example.com'

function component(receive: boolean): ComponentView {
  return {
    appid: C,
    name: 'Platform',
    secret: '0123…cdef',
    token: 'Push…2024',
    aes_key: 'abcd…EFA',
    redirect_uri: 'https://merchant.example.com/cb',
    receive: receive
      ? {
          base_url: BASE,
          component_push_url: `${BASE}/wechat/component/${C}`,
          message_push_url: `${BASE}/wechat/message/${C}/$APPID$`,
          launch_domain: 'wx.example.com',
          authorize_url: `${BASE}/wechat/authorize/${C}`,
        }
      : null,
    created_at: 1_767_225_600,
    updated_at: 1_767_225_600,
    ticket: null,
    authorizers: { active: 0, revoked: 0 },
    access_token: null,
  }
}

function mountWizard() {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: { render: () => null } }] })
  const Root = defineComponent({
    setup: () => () =>
      h(NMessageProvider, () => h(NNotificationProvider, () => h(NDialogProvider, () => h(AuthorizeWizardView, { appid: C })))),
  })
  return mount(Root, { global: { plugins: [i18n, router], stubs: { QrCode: true } }, attachTo: document.body })
}

describe('AuthorizeWizardView permanent link', () => {
  screenTestHooks()

  it('shows the permanent link and QR for the chosen options', async () => {
    const url = `${BASE}/wechat/authorize/${C}?type=pc`
    const backend = new RecordingBackend((op) => {
      if (op === 'component_show') return component(true)
      if (op === 'receive_link') return { url, kind: 'pc' }
      return null
    })
    setBackend(backend)
    const w = mountWizard()
    await flushPromises()
    expect(w.get('[data-testid="wizard-permanent"]').text()).toContain(BASE)
    await w.get('[data-testid="wizard-permanent-show"]').trigger('click')
    await flushPromises()
    expect(backend.calls.filter((c) => c.op === 'receive_link')).toEqual([
      { op: 'receive_link', args: { component_appid: C, kind: 'pc', auth_type: null, biz_appid: null } },
    ])
    expect(w.get('[data-testid="wizard-permanent-link"]').text()).toBe(url)
    expect(w.findComponent({ name: 'QrCode' }).exists()).toBe(true)
    // No one-time link was asked for.
    expect(backend.calls.some((c) => c.op === 'auth_link')).toBe(false)
    w.unmount()
  })

  it('explains how to get one when no receive URL is set', async () => {
    const backend = new RecordingBackend((op) => (op === 'component_show' ? component(false) : null))
    setBackend(backend)
    const w = mountWizard()
    await flushPromises()
    expect(w.find('[data-testid="wizard-permanent-show"]').exists()).toBe(false)
    expect(w.get('[data-testid="wizard-permanent-unset"]').text()).toContain('wxdesk receive')
    w.unmount()
  })
})

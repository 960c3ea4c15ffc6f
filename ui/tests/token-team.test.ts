// A token of an account bound to a team store (Redis) says where it came
// from on the token panel: the layout, the TTL and the key, in both languages.

import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import TokenPanel from '../src/components/TokenPanel.vue'
import type { TokenView } from '../src/api/types'
import { i18n, setLocale } from '../src/i18n'

const KEY = 'wx:open:wechat_component_access_token:wx1111111111111111'

function view(ttl: number | undefined): TokenView {
  return {
    token: '88_a…',
    revealed: false,
    expires_at: 1_800_000_000,
    expires_in: ttl ?? 7200,
    source: 'redis',
    kind: 'component',
    owner: 'wx1111111111111111',
    endpoint: 'cgi-bin/component/api_component_token',
    warning: null,
    force_budget_left: null,
    layout: 'wxjava-open',
    key: KEY,
    ...(ttl === undefined ? {} : { ttl }),
  }
}

function mountPanel(got: TokenView) {
  const Root = defineComponent({
    setup: () => () =>
      h(NMessageProvider, () =>
        h(NNotificationProvider, () =>
          h(NDialogProvider, () => h(TokenPanel, { kind: 'component', testid: 'token', load: () => Promise.resolve(got) })),
        ),
      ),
  })
  return mount(Root, { global: { plugins: [i18n] }, attachTo: document.body })
}

describe('TokenPanel team store', () => {
  afterEach(() => {
    setLocale('en')
    document.body.innerHTML = ''
  })

  it('shows the Redis source line and key, in both languages', async () => {
    setLocale('en')
    const w = mountPanel(view(6900))
    await w.get('[data-testid="token-get"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="token-team"]').text()).toBe('Redis, wxjava-open layout, TTL 6,900 s')
    expect(w.get('[data-testid="token-team-key"]').text()).toBe(KEY)
    expect(w.get('[data-testid="token-source"]').text()).toBe('Shared store (Redis)')
    setLocale('zh-CN')
    await flushPromises()
    expect(w.get('[data-testid="token-team"]').text()).toBe('Redis，wxjava-open 布局，TTL 6,900 秒')
    expect(w.get('[data-testid="token-source"]').text()).toBe('共享存储（Redis）')
    w.unmount()
  })

  it('says when the key has no TTL, and shows nothing of the kind for a local token', async () => {
    const w = mountPanel(view(undefined))
    await w.get('[data-testid="token-get"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="token-team"]').text()).toBe('Redis, wxjava-open layout, no TTL')
    w.unmount()
    const local = mountPanel({ ...view(6900), source: 'cache', layout: undefined, key: undefined, ttl: undefined })
    await local.get('[data-testid="token-get"]').trigger('click')
    await flushPromises()
    expect(local.find('[data-testid="token-team"]').exists()).toBe(false)
    expect(local.find('[data-testid="token-team-key"]').exists()).toBe(false)
    local.unmount()
  })
})

// The token panel of a mini program shows the remaining stable_token force
// budget as soon as "Force refresh" is ticked — before anything is sent —
// and the confirmation shows the core's own wording (which repeats it).

import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import TokenPanel from '../src/components/TokenPanel.vue'
import type { ForceBudgetView, TokenView } from '../src/api/types'
import { ApiError } from '../src/api/backend'
import { i18n, setLocale } from '../src/i18n'

const BUDGET: ForceBudgetView = { appid: 'wx1111111111111111', used: 13, left: 7, per_day: 20, wait_secs: 12, resets_at: 1 }

function mountPanel(calls: string[]) {
  const Root = defineComponent({
    setup: () => () =>
      h(NMessageProvider, () =>
        h(NNotificationProvider, () =>
          h(NDialogProvider, () =>
            h(TokenPanel, {
              kind: 'app',
              testid: 'token',
              budget: () => {
                calls.push('budget')
                return Promise.resolve(BUDGET)
              },
              // As the core answers: an unconfirmed force is refused with its risk.
              load: (req: { force: boolean; confirmed: boolean }) => {
                calls.push(req.confirmed ? 'load confirmed' : 'load')
                if (req.force && !req.confirmed) {
                  return Promise.reject(
                    new ApiError({
                      code: 'needs_confirmation',
                      message: 'force-refresh the access token of wx1111111111111111 needs confirmation: … 7 of 20 force refreshes left today',
                    }),
                  )
                }
                return Promise.resolve({} as TokenView)
              },
            }),
          ),
        ),
      ),
  })
  return mount(Root, { global: { plugins: [i18n] }, attachTo: document.body })
}

describe('TokenPanel force budget', () => {
  afterEach(() => {
    setLocale('en')
    document.body.innerHTML = ''
  })

  it('shows what is left before a force, in both languages', async () => {
    setLocale('en')
    const calls: string[] = []
    const w = mountPanel(calls)
    await flushPromises()
    expect(w.find('[data-testid="token-force-budget"]').exists()).toBe(false)
    expect(calls).toEqual([])
    await w.get('[data-testid="token-force"]').trigger('click')
    await flushPromises()
    const shown = w.get('[data-testid="token-force-budget"]').text()
    expect(shown).toContain('Force refreshes left today: 7 of 20')
    expect(shown).toContain('next allowed in 12 s')
    // Asking for the token shows the core's confirmation; nothing confirmed is sent until then.
    await w.get('[data-testid="token-get"]').trigger('click')
    await flushPromises()
    expect(document.querySelector('[data-testid="confirm-dialog"]')?.textContent).toContain('7 of 20 force refreshes left today')
    expect(calls).toEqual(['budget', 'load'])
    setLocale('zh-CN')
    await flushPromises()
    expect(w.get('[data-testid="token-force-budget"]').text()).toContain('今日剩余强制刷新次数：7 / 20')
    w.unmount()
  })
})

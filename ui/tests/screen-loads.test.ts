// A screen asks for everything it shows at once: its cards' calls (the team
// settings, the phone-number meter, the ticket) leave while the page's own
// call is still out, instead of after it answered and the page drew them
// (each wait was a round trip plus a render on every switch). While the page
// loads, those cards stay hidden; a page that fails to load shows no card.

import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { setBackend } from '../src/api'
import type { Backend } from '../src/api/backend'
import AppDetailView from '../src/views/apps/AppDetailView.vue'
import AuthorizerDetailView from '../src/views/authorizers/AuthorizerDetailView.vue'
import ComponentDetailView from '../src/views/components/ComponentDetailView.vue'
import { merchantView, mountScreen, platformView, screenTestHooks } from './screen'

const APP = 'wx1111111111111111'
const C = 'wx2222222222222222'

const APP_VIEW = { appid: APP, name: 'Shop', secret: 'abcd…', created_at: 1, updated_at: 1, token: null, sessions: 0 }
const COMPONENT_VIEW = platformView({ appid: C, authorizers: { active: 1, revoked: 0 } })

/** Every call is recorded; the page's own call (`held`) answers only when released. */
function holding(held: string) {
  const calls: string[] = []
  let release: (v: unknown) => void = () => {}
  const backend: Backend = {
    call: ((op: string) => {
      calls.push(op)
      if (op === held) return new Promise<unknown>((resolve) => (release = resolve))
      return Promise.resolve(op.endsWith('_list') || op === 'sessions' ? [] : null)
    }) as Backend['call'],
  }
  return { backend, calls, release: (v: unknown) => release(v) }
}

/** Whether an element is on the page and neither it nor an ancestor is hidden. */
function shown(selector: string): boolean {
  let el = document.querySelector<HTMLElement>(selector)
  if (!el) return false
  for (; el; el = el.parentElement) if (el.style.display === 'none') return false
  return true
}

describe('screens ask for their cards while their own call is out', () => {
  screenTestHooks()

  it.each([
    { name: 'a mini program', view: AppDetailView, props: { appid: APP }, held: 'app_show', cards: ['team_show', 'meter'], entity: APP_VIEW, shownCards: ['team-card', 'meter-card'] },
    { name: 'an authorizer', view: AuthorizerDetailView, props: { component: C, appid: APP }, held: 'authorizer_show', cards: ['meter'], entity: merchantView({ component_appid: C, appid: APP }), shownCards: ['meter-card'] },
    { name: 'a platform', view: ComponentDetailView, props: { appid: C }, held: 'component_show', cards: ['ticket_status', 'team_show'], entity: COMPONENT_VIEW, shownCards: ['team-card', 'ticket-card'] },
  ])('$name', async ({ view, props, held, cards, entity, shownCards }) => {
    const h = holding(held)
    setBackend(h.backend)
    const { wrapper } = mountScreen(view, props)
    await flushPromises()
    expect(h.calls).toContain(held)
    for (const op of cards) expect(h.calls).toContain(op)
    // Nothing of the page shows before it loaded; its cards do once it has.
    expect(shown('[data-testid="team-card"]')).toBe(false)
    expect(shown('[data-testid="meter-card"]')).toBe(false)
    h.release(entity)
    await flushPromises()
    for (const card of shownCards) expect(shown(`[data-testid="${card}"]`), card).toBe(true)
    wrapper.unmount()
  })

  it('shows no card of a mini program that failed to load', async () => {
    const h = holding('app_show')
    setBackend({
      call: ((op: string, args: unknown) =>
        op === 'app_show' ? Promise.reject(new Error('not found')) : h.backend.call(op as never, args as never)) as Backend['call'],
    })
    const { wrapper } = mountScreen(AppDetailView, { appid: APP })
    await flushPromises()
    expect(shown('[data-testid="team-card"]')).toBe(false)
    wrapper.unmount()
  })
})

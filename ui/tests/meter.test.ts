// The paid phone-number meter in the UI: amounts, trial shares and warning
// levels (lib/meter), the card of one mini program (its figures, switching
// its component) and the dashboard's card (totals, warnings, prices that are
// checked before they are sent).

import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { NDialogProvider, NMessageProvider, NNotificationProvider } from 'naive-ui'
import { setBackend } from '../src/api'
import type { MeterAppView, MeterComponentView, MeterView } from '../src/api/types'
import MeterCard from '../src/components/MeterCard.vue'
import { i18n } from '../src/i18n'
import { appOf, formatYuan, inUse, parsePrice, trialLevel, trialPercent, warnedComponents } from '../src/lib/meter'
import { RecordingBackend } from './helpers'
import { screenTestHooks } from './screen'

const A = 'wx3333333333333333'

function comp(over: Partial<MeterComponentView>): MeterComponentView {
  return {
    component: 'fast',
    price_yuan: 0.03,
    month_calls: 0,
    today_calls: 0,
    trial_used: 0,
    trial_left: 1000,
    billable_calls: 0,
    cost_yuan: 0,
    projected_calls: 0,
    projected_cost_yuan: 0,
    trial_warning: false,
    ...over,
  }
}

function app(over: Partial<MeterAppView> = {}): MeterAppView {
  return {
    appid: A,
    name: 'Shop',
    is_app: true,
    authorizer_of: [],
    component: 'fast',
    components: [
      comp({ month_calls: 3, today_calls: 3, trial_used: 3, trial_left: 997, projected_calls: 31 }),
      comp({ component: 'realtime', price_yuan: 0.04 }),
    ],
    days: [{ day: '2026-12-05', fast: 3, realtime: 0 }],
    month_calls: 3,
    cost_yuan: 0,
    projected_cost_yuan: 0,
    trial_warning: false,
    ...over,
  }
}

function view(apps: MeterAppView[], over: Partial<MeterView> = {}): MeterView {
  return {
    month: '2026-12',
    today: '2026-12-05',
    is_current_month: true,
    days_elapsed: 5,
    days_in_month: 31,
    prices: { fast_yuan: 0.03, realtime_yuan: 0.04 },
    trial_calls: 1000,
    warn_at_percent: 90,
    apps,
    month_calls: apps.reduce((n, a) => n + a.month_calls, 0),
    cost_yuan: 0,
    projected_cost_yuan: 0,
    warnings: apps.filter((a) => a.trial_warning).length,
    ...over,
  }
}

describe('meter logic', () => {
  it('formats yuan with two decimals, more only when a price has them', () => {
    expect(formatYuan(0)).toBe('¥0.00')
    expect(formatYuan(0.09)).toBe('¥0.09')
    expect(formatYuan(0.1)).toBe('¥0.10')
    expect(formatYuan(12.5)).toBe('¥12.50')
    expect(formatYuan(0.035)).toBe('¥0.035')
    expect(formatYuan(Number.NaN)).toBe('¥0.00')
  })

  it('measures the trial and warns from the threshold, errs when used up', () => {
    expect(trialPercent({ trial_used: 3 }, 1000)).toBe(0)
    expect(trialPercent({ trial_used: 999 }, 1000)).toBe(99)
    expect(trialPercent({ trial_used: 1000 }, 1000)).toBe(100)
    expect(trialLevel({ trial_used: 3, trial_left: 997 }, 1000, 90)).toBe('success')
    expect(trialLevel({ trial_used: 899, trial_left: 101 }, 1000, 90)).toBe('success')
    expect(trialLevel({ trial_used: 900, trial_left: 100 }, 1000, 90)).toBe('warning')
    expect(trialLevel({ trial_used: 1000, trial_left: 0 }, 1000, 90)).toBe('error')
  })

  it('picks the component in use and the warned ones', () => {
    const a = app({ component: 'realtime' })
    expect(inUse(a)?.component).toBe('realtime')
    expect(appOf(view([a]), A)).toBe(a)
    expect(appOf(view([a]), 'wx0000000000000000')).toBeUndefined()
    const warned = app({ components: [comp({ trial_warning: true }), comp({ component: 'realtime' })] })
    expect(warnedComponents(warned)).toEqual(['fast'])
  })

  it('accepts prices in yuan from 0 to 10 only', () => {
    expect(parsePrice('0.03')).toBe(0.03)
    expect(parsePrice(' ¥0.05 ')).toBe(0.05)
    expect(parsePrice('0')).toBe(0)
    for (const bad of ['', '-1', 'abc', '11', '0.0.3', null, undefined]) expect(parsePrice(bad), String(bad)).toBeNull()
  })
})

function mountCard(props: Record<string, unknown>) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] })
  const Root = defineComponent({
    setup: () => () =>
      h(NMessageProvider, () => h(NNotificationProvider, () => h(NDialogProvider, () => h(MeterCard, props)))),
  })
  return mount(Root, { global: { plugins: [i18n, router] }, attachTo: document.body })
}

describe('MeterCard', () => {
  screenTestHooks()

  it('shows one mini program after 3 paid calls and switches its component', async () => {
    let current = app()
    const backend = new RecordingBackend((op, args) => {
      if (op === 'meter') return view([current])
      if (op === 'meter_set_component') {
        current = app({ component: (args as { component: 'fast' | 'realtime' }).component })
        return { appid: A, component: current.component }
      }
      return null
    })
    setBackend(backend)
    const w = mountCard({ appid: A })
    await flushPromises()
    expect(backend.calls[0]).toEqual({ op: 'meter', args: { appid: A, month: null } })
    expect(w.get('[data-testid="meter-month-calls"]').text()).toBe('3')
    expect(w.get('[data-testid="meter-cost"]').text()).toBe('¥0.00')
    expect(w.get('[data-testid="meter-trial-fast"]').text()).toContain('3 of 1000 trial calls used, 997 left')
    expect(w.find('[data-testid="meter-warning"]').exists()).toBe(false)

    const realtime = w.findAll('[data-testid="meter-component"] input').find((i) => (i.element as HTMLInputElement).value === 'realtime')!
    await realtime.setValue(true)
    await flushPromises()
    const set = backend.calls.find((c) => c.op === 'meter_set_component')
    expect(set?.args).toEqual({ appid: A, component: 'realtime' })
    expect(backend.calls.filter((c) => c.op === 'meter')).toHaveLength(2)
    w.unmount()
  })

  it('warns on the dashboard and sends only valid prices', async () => {
    const warnedApp = app({
      trial_warning: true,
      components: [comp({ trial_used: 950, trial_left: 50, trial_warning: true, month_calls: 950 }), comp({ component: 'realtime' })],
    })
    const backend = new RecordingBackend((op) => {
      if (op === 'meter') return view([warnedApp], { cost_yuan: 0.12, projected_cost_yuan: 3.5 })
      if (op === 'meter_set_prices') return { fast_yuan: 0.05, realtime_yuan: 0.04 }
      return null
    })
    setBackend(backend)
    const w = mountCard({})
    await flushPromises()
    expect(w.get('[data-testid="meter-warning"]').text()).toContain('90 %')
    expect(w.get('[data-testid="meter-warnings"]').text()).toBe('1')
    expect(w.get('[data-testid="meter-projected"]').text()).toBe('¥3.50')
    expect(w.get('[data-testid="meter-table"]').text()).toContain('Trial nearly used up')

    const fast = w.get('[data-testid="meter-price-fast"]')
    await fast.setValue('abc')
    expect(w.get('[data-testid="meter-prices-save"]').attributes('disabled')).toBeDefined()
    await fast.setValue('0.05')
    await w.get('[data-testid="meter-prices-save"]').trigger('click')
    await flushPromises()
    expect(backend.calls.find((c) => c.op === 'meter_set_prices')?.args).toEqual({ fast_yuan: 0.05, realtime_yuan: 0.04 })
    w.unmount()
  })
})

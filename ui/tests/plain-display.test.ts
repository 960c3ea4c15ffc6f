// The plain display components (PlainDescriptions, PlainAlert,
// PlainStatistic, PlainProgress, PlainSpin): what they draw from their
// props and slots, and what they say to assistive technology.

import { describe, expect, it } from 'vitest'
import { createCommentVNode, h, ref } from 'vue'
import { mount } from '@vue/test-utils'
import PlainDescriptions, { PlainDescriptionsItem, rowsOf } from '../src/components/plain/PlainDescriptions'
import PlainAlert from '../src/components/plain/PlainAlert'
import { alertVars } from '../src/lib/alertVars'
import PlainStatistic from '../src/components/plain/PlainStatistic'
import PlainProgress, { percentOf } from '../src/components/plain/PlainProgress'
import PlainSpin from '../src/components/plain/PlainSpin'

describe('PlainDescriptions', () => {
  const item = (label: string, span = 1) => ({ label, span, content: undefined })

  it('fills rows as NDescriptions does: spans add up, the last item takes the rest of its row', () => {
    const widths = (rows: ReturnType<typeof rowsOf>) => rows.map((r) => r.map((c) => `${c.item.label}:${c.columns}`))
    expect(widths(rowsOf([item('a'), item('b'), item('c'), item('d')], 3))).toEqual([['a:1', 'b:1', 'c:1'], ['d:3']])
    expect(widths(rowsOf([item('a', 2), item('b'), item('c')], 3))).toEqual([['a:2', 'b:1'], ['c:3']])
    expect(widths(rowsOf([item('a'), item('b')], 1))).toEqual([['a:1'], ['b:1']])
    expect(widths(rowsOf([item('a'), item('b', 2)], 2))).toEqual([['a:1', 'b:1']])
    expect(rowsOf([], 3)).toEqual([])
  })

  it('draws labels as header cells beside their content, skipping items left out by v-if', () => {
    const show = ref(false)
    const w = mount(() =>
      h(PlainDescriptions, { column: 1, labelPlacement: 'left', bordered: true, labelStyle: 'width: 180px', 'data-testid': 'd' }, () => [
        h(PlainDescriptionsItem, { label: 'Account type' }, () => 'Mini program'),
        // What a template's v-if leaves when false: a comment node.
        show.value ? h(PlainDescriptionsItem, { label: 'Hidden' }, () => 'x') : createCommentVNode('v-if', true),
        h(PlainDescriptionsItem, { label: 'Expires in' }, () => h('code', '7200 s')),
      ]),
    )
    const root = w.get('[data-testid="d"]')
    expect(root.classes()).toEqual(expect.arrayContaining(['plain-desc', 'plain-desc--left', 'plain-desc--bordered']))
    const rows = root.findAll('tr')
    expect(rows).toHaveLength(2)
    const th = rows[0]!.get('th')
    expect(th.text()).toBe('Account type')
    expect(th.attributes('scope')).toBe('row')
    expect(th.attributes('style')).toContain('width: 180px')
    expect(rows[0]!.get('td').text()).toBe('Mini program')
    expect(rows[1]!.get('td code').text()).toBe('7200 s')
  })

  it('puts labels above their contents in columns', () => {
    const w = mount(() =>
      h(PlainDescriptions, { column: 3 }, () => [
        h(PlainDescriptionsItem, { label: 'AppID' }, () => 'wx51103be6f47faae9'),
        h(PlainDescriptionsItem, { label: 'AppSecret' }, () => '3d2f…'),
        h(PlainDescriptionsItem, { label: 'Updated' }, () => '2026-12-06 10:14'),
      ]),
    )
    const rows = w.findAll('tr')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.findAll('th').map((c) => [c.text(), c.attributes('scope')])).toEqual([
      ['AppID', 'col'],
      ['AppSecret', 'col'],
      ['Updated', 'col'],
    ])
    expect(rows[1]!.findAll('td').map((c) => c.text())).toEqual(['wx51103be6f47faae9', '3d2f…', '2026-12-06 10:14'])
  })

  it('leads each content with its label when borderless beside', () => {
    const w = mount(() =>
      h(PlainDescriptions, { column: 2, labelPlacement: 'left' }, () => [
        h(PlainDescriptionsItem, { label: 'Redis' }, () => '127.0.0.1:6379'),
        h(PlainDescriptionsItem, { label: 'Layout' }, () => 'wxjava'),
        h(PlainDescriptionsItem, { label: 'Prefix' }, () => 'wx:'),
      ]),
    )
    const rows = w.findAll('tr')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.findAll('td .plain-desc__label').map((c) => c.text())).toEqual(['Redis', 'Layout'])
    expect(rows[1]!.get('td').attributes('colspan')).toBe('2')
    expect(rows[1]!.get('.plain-desc__value').text()).toBe('wx:')
  })
})

describe('PlainAlert', () => {
  it('is an alert with its type, icon, title and text; the default type keeps the icon place empty', () => {
    const w = mount(() => h(PlainAlert, { type: 'warning', title: 'No usable ticket', 'data-testid': 'a' }, () => 'Paste the newest push'))
    const a = w.get('[data-testid="a"]')
    expect(a.attributes('role')).toBe('alert')
    expect(a.classes()).toEqual(expect.arrayContaining(['plain-alert', 'plain-alert--warning', 'plain-alert--icon']))
    expect(a.get('.plain-alert__title').text()).toBe('No usable ticket')
    expect(a.get('.plain-alert__content').text()).toBe('Paste the newest push')
    expect(a.get('.plain-alert__icon svg').attributes('aria-hidden')).toBe('true')
    const plain = mount(() => h(PlainAlert, { showIcon: false }, () => 'Not bound'))
    expect(plain.find('.plain-alert__icon').exists()).toBe(false)
    expect(plain.classes()).toContain('plain-alert--default')
    expect(plain.find('.plain-alert__title').exists()).toBe(false)
    const closed: number[] = []
    const dismissable = mount(() => h(PlainAlert, { type: 'success', closable: true, onClose: () => closed.push(1) }, () => 'Synced'))
    expect(dismissable.classes()).toContain('plain-alert--closable')
    void dismissable.get('button.plain-alert__close').trigger('click')
    expect(closed).toEqual([1])
    expect(dismissable.get('button.plain-alert__close').attributes('aria-label')).toBeTruthy()
    expect(plain.find('button').exists()).toBe(false)
    const empty = mount(() => h(PlainAlert, { type: 'default' }, () => 'x'))
    expect(empty.get('.plain-alert__icon').element.children).toHaveLength(0)
  })

  it("takes NAlert's colours from the theme", () => {
    const vars = alertVars({
      color: 'rgb(250, 250, 252)',
      border: '1px solid rgb(239, 239, 245)',
      iconColor: 'rgb(51, 54, 57)',
      colorError: 'rgba(208, 48, 80, 0.08)',
      borderError: '1px solid rgba(208, 48, 80, 0.25)',
      iconColorError: '#d03050',
    })
    expect(vars['--wx-alert-default-border']).toBe('rgb(239, 239, 245)')
    expect(vars['--wx-alert-error-bg']).toBe('rgba(208, 48, 80, 0.08)')
    expect(vars['--wx-alert-error-border']).toBe('rgba(208, 48, 80, 0.25)')
    expect(vars['--wx-alert-error-icon']).toBe('#d03050')
    expect(Object.keys(vars)).toHaveLength(15)
  })
})

describe('PlainProgress', () => {
  it('is a named progressbar with its value, its status colour class and the percentage', () => {
    expect(percentOf(undefined)).toBe(0)
    expect(percentOf(Number.NaN)).toBe(0)
    expect(percentOf(140)).toBe(100)
    expect(percentOf(-3)).toBe(0)
    expect(percentOf(33.4)).toBe(33)
    const w = mount(() => h(PlainProgress, { percentage: 62.5, status: 'warning', 'aria-label': 'Trial used', 'data-testid': 'p' }))
    const p = w.get('[data-testid="p"]')
    expect(p.attributes('role')).toBe('progressbar')
    expect(p.attributes('aria-valuenow')).toBe('63')
    expect(p.attributes('aria-label')).toBe('Trial used')
    expect(p.classes()).toContain('plain-progress--warning')
    expect(p.get('.plain-progress__fill').attributes('style')).toContain('width: 63%')
    expect(p.get('.plain-progress__outer').text()).toBe('63%')
    const inside = mount(() => h(PlainProgress, { percentage: 50, indicatorPlacement: 'inside', height: 18 }))
    expect(inside.get('.plain-progress__inner').text()).toBe('50%')
    expect(inside.find('.plain-progress__outer').exists()).toBe(false)
    const bare = mount(() => h(PlainProgress, { percentage: 50, showIndicator: false }))
    expect(bare.text()).toBe('')
  })
})

describe('PlainStatistic', () => {
  it('shows a label, then the value (or its slot) and a suffix', () => {
    const w = mount(() => h(PlainStatistic, { label: 'Authorizers', value: 9500 }, { suffix: () => '500 revoked' }))
    expect(w.get('.plain-stat__label').text()).toBe('Authorizers')
    expect(w.get('.plain-stat__content').text()).toBe('9500')
    expect(w.get('.plain-stat__suffix').text()).toBe('500 revoked')
    const slotted = mount(() => h(PlainStatistic, { label: 'Cost' }, { default: () => h('span', { 'data-testid': 'cost' }, '¥0.03') }))
    expect(slotted.get('[data-testid="cost"]').text()).toBe('¥0.03')
    expect(slotted.find('.plain-stat__suffix').exists()).toBe(false)
  })
})

describe('PlainSpin', () => {
  it('dims its content under a spinner and says the region is busy only while shown', async () => {
    const show = ref(true)
    const w = mount(() => h(PlainSpin, { show: show.value, size: 'small' }, () => h('table', { 'data-testid': 'grid' })))
    expect(w.classes()).toContain('plain-spin--show')
    expect(w.attributes('aria-busy')).toBe('true')
    expect(w.find('.plain-spin__icon--small').exists()).toBe(true)
    expect(w.find('.plain-spin__content [data-testid="grid"]').exists()).toBe(true)
    show.value = false
    await w.vm.$nextTick()
    expect(w.classes()).not.toContain('plain-spin--show')
    expect(w.attributes('aria-busy')).toBeUndefined()
    expect(w.find('.plain-spin__veil').exists()).toBe(false)
  })
})

// The plain components stand in for Naive UI's NButton, NInput, NFormItem
// and NCard on the screens walked most: what the screens rely on is checked
// here — native elements carrying the caller's attributes, a loading button
// that cannot be clicked twice, a field's two-way value, a textarea growing
// with its lines, a feedback line announced only when there is a problem.

import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h, reactive, ref } from 'vue'
import { mount } from '@vue/test-utils'
import PlainButton, { buttonClasses } from '../src/components/plain/PlainButton'
import PlainInput, { rowsFor } from '../src/components/plain/PlainInput'
import PlainField from '../src/components/plain/PlainField'
import PlainCard from '../src/components/plain/PlainCard'
import PlainSelect from '../src/components/plain/PlainSelect'
import PlainTag, { tagClasses } from '../src/components/plain/PlainTag'
import PlainPager, { pageCount, pagerSlots } from '../src/components/plain/PlainPager'
import { PlainTabPane, PlainTabs, tabAfterKey } from '../src/components/plain/PlainTabs'

describe('PlainButton', () => {
  it('is a native button that does not submit unless told to', () => {
    const w = mount(() => h(PlainButton, { 'data-testid': 'b' }, () => 'Save'))
    const b = w.get('[data-testid="b"]')
    expect(b.element.tagName).toBe('BUTTON')
    expect(b.attributes('type')).toBe('button')
    expect(b.text()).toBe('Save')
    const s = mount(() => h(PlainButton, { attrType: 'submit', 'data-testid': 's' }, () => 'Go'))
    expect(s.get('[data-testid="s"]').attributes('type')).toBe('submit')
  })

  it('refuses clicks while loading, keeps its focus, and says it is busy', async () => {
    const onClick = vi.fn()
    const loading = ref(true)
    const w = mount(() => h(PlainButton, { loading: loading.value, onClick, 'data-testid': 'b' }, () => 'Send'), { attachTo: document.body })
    const b = w.get('[data-testid="b"]')
    expect(b.attributes('disabled')).toBeUndefined()
    expect(b.attributes('aria-disabled')).toBe('true')
    expect(b.attributes('aria-busy')).toBe('true')
    expect(b.find('.plain-btn__spinner').exists()).toBe(true)
    ;(b.element as HTMLButtonElement).focus()
    await b.trigger('click')
    expect(onClick).not.toHaveBeenCalled()
    expect(document.activeElement).toBe(b.element)
    loading.value = false
    await w.vm.$nextTick()
    expect(b.attributes('aria-disabled')).toBeUndefined()
    expect(b.attributes('aria-busy')).toBeUndefined()
    await b.trigger('click')
    expect(onClick).toHaveBeenCalledTimes(1)
    w.unmount()
  })

  it('submits no form while loading', async () => {
    const onSubmit = vi.fn((e: Event) => e.preventDefault())
    const loading = ref(true)
    const w = mount(() => h('form', { onSubmit }, [h(PlainButton, { attrType: 'submit', loading: loading.value }, () => 'Go')]), { attachTo: document.body })
    ;(w.get('button').element as HTMLButtonElement).click()
    expect(onSubmit).not.toHaveBeenCalled()
    loading.value = false
    await w.vm.$nextTick()
    ;(w.get('button').element as HTMLButtonElement).click()
    expect(onSubmit).toHaveBeenCalledTimes(1)
    w.unmount()
  })

  it('is disabled natively when disabled', () => {
    const w = mount(() => h(PlainButton, { disabled: true }, () => 'x'))
    expect(w.get('button').attributes('disabled')).toBeDefined()
  })

  it('draws the icon slot, hidden from screen readers, the name coming from aria-label', () => {
    const w = mount(() => h(PlainButton, { circle: true, 'aria-label': 'Back' }, { icon: () => h('svg') }))
    const b = w.get('button')
    expect(b.attributes('aria-label')).toBe('Back')
    expect(b.get('.plain-btn__icon').attributes('aria-hidden')).toBe('true')
    expect(b.find('.plain-btn__label').exists()).toBe(false)
  })

  it("names Naive UI's variants as classes", () => {
    expect(buttonClasses({})).toEqual(['plain-btn', 'plain-btn--default', 'plain-btn--medium'])
    expect(buttonClasses({ type: 'warning', size: 'tiny', secondary: true, loading: true })).toEqual([
      'plain-btn',
      'plain-btn--warning',
      'plain-btn--tiny',
      'plain-btn--secondary',
      'plain-btn--loading',
    ])
  })
})

describe('PlainInput', () => {
  it('is the native input itself, with the value both ways', async () => {
    const value = ref('wx')
    const w = mount(() =>
      h(PlainInput, {
        value: value.value,
        'onUpdate:value': (v: string) => (value.value = v),
        label: 'AppID',
        placeholder: 'wx1234567890abcdef',
        'data-testid': 'f',
      }),
    )
    const input = w.get('[data-testid="f"]')
    expect(input.element.tagName).toBe('INPUT')
    expect(input.attributes('aria-label')).toBe('AppID')
    expect(input.attributes('placeholder')).toBe('wx1234567890abcdef')
    expect((input.element as HTMLInputElement).value).toBe('wx')
    await input.setValue('wx0123456789abcdef')
    expect(value.value).toBe('wx0123456789abcdef')
    value.value = ''
    await w.vm.$nextTick()
    expect((input.element as HTMLInputElement).value).toBe('')
  })

  it('marks an invalid value for assistive technology', () => {
    const w = mount(() => h(PlainInput, { value: 'x', status: 'error' }))
    expect(w.get('input').attributes('aria-invalid')).toBe('true')
    expect(w.get('input').classes()).toContain('plain-input--error')
  })

  it('grows a textarea with its lines, within its bounds', async () => {
    expect(rowsFor('', 2, 8)).toBe(2)
    expect(rowsFor(null)).toBe(1)
    expect(rowsFor('a\nb\nc')).toBe(3)
    expect(rowsFor('1\n2\n3\n4\n5\n6', 1, 5)).toBe(5)
    const value = ref('https://a.example.com')
    const w = mount(() => h(PlainInput, { type: 'textarea', value: value.value, maxRows: 4 }))
    expect(w.get('textarea').attributes('rows')).toBe('1')
    value.value = 'https://a.example.com\nhttps://b.example.com'
    await w.vm.$nextTick()
    expect(w.get('textarea').attributes('rows')).toBe('2')
  })
})

describe('PlainField', () => {
  it('puts the label above the control and announces a problem only when there is one', async () => {
    const feedback = ref<string | null>(null)
    const w = mount(() => h(PlainField, { label: 'Version', feedback: feedback.value }, () => h('input')))
    expect(w.get('.plain-field__label').text()).toBe('Version')
    expect(w.get('.plain-field__control').find('input').exists()).toBe(true)
    expect(w.get('.plain-field__feedback').attributes('role')).toBeUndefined()
    feedback.value = 'Use digits and dots, e.g. 1.0.0'
    await w.vm.$nextTick()
    expect(w.get('.plain-field__feedback').attributes('role')).toBe('alert')
    expect(w.get('.plain-field__feedback').text()).toBe('Use digits and dots, e.g. 1.0.0')
    expect(w.classes()).toContain('plain-field--error')
  })

  it('takes a label slot', () => {
    const w = mount(() => h(PlainField, null, { label: () => h('code', 'phone'), default: () => h('input') }))
    expect(w.get('.plain-field__label code').text()).toBe('phone')
  })
})

describe('PlainCard', () => {
  it('draws the title as a heading, the extra on its right, attributes on the root', () => {
    const w = mount(() =>
      h(PlainCard, { title: 'Code', size: 'small', 'data-testid': 'c' }, { 'header-extra': () => h('button', 'Ask'), default: () => 'body' }),
    )
    const root = w.get('[data-testid="c"]')
    expect(root.element.tagName).toBe('SECTION')
    expect(root.classes()).toEqual(['plain-card', 'plain-card--small'])
    expect(root.get('[role="heading"]').text()).toBe('Code')
    expect(root.get('.plain-card__extra').text()).toBe('Ask')
    expect(root.get('.plain-card__content').text()).toBe('body')
  })

  it('has no header without a title or header slot', () => {
    const w = mount(() => h(PlainCard, null, () => 'only'))
    expect(w.find('.plain-card__header').exists()).toBe(false)
  })
})

describe('PlainSelect', () => {
  const options = [
    { value: 'active', label: 'Active' },
    { value: 'revoked', label: 'Revoked' },
  ]

  it('offers "any" first, standing for null, and shows the chosen value', async () => {
    const value = ref<string | null>('revoked')
    const w = mount(() =>
      h(PlainSelect, {
        value: value.value,
        options,
        placeholder: 'Any status',
        label: 'Status',
        'onUpdate:value': (v: string | null) => (value.value = v),
        'data-testid': 's',
      }),
    )
    const select = w.get('[data-testid="s"]')
    expect(select.element.tagName).toBe('SELECT')
    expect(select.attributes('aria-label')).toBe('Status')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['Any status', 'Active', 'Revoked'])
    expect((select.element as HTMLSelectElement).value).toBe('revoked')
    await select.setValue('')
    expect(value.value).toBeNull()
    expect(select.classes()).toContain('plain-select--any')
    await select.setValue('active')
    expect(value.value).toBe('active')
  })

  it('shows a value none of the options has as itself, not as "any"', () => {
    const w = mount(() => h(PlainSelect, { value: 'wx-gone', options, placeholder: 'Any status' }))
    const select = w.get('select')
    expect((select.element as HTMLSelectElement).value).toBe('wx-gone')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['Any status', 'wx-gone', 'Active', 'Revoked'])
    expect(select.classes()).not.toContain('plain-select--any')
  })

  it('has no "any" choice without a placeholder', () => {
    const w = mount(() => h(PlainSelect, { value: 'active', options }))
    expect(w.findAll('option')).toHaveLength(2)
  })

  it('reports a number option as the number it is', async () => {
    const value = ref<string | number | null>(null)
    const templates = [
      { value: 12, label: '#12 · 1.2.0' },
      { value: 7, label: '#7 · 1.1.0' },
    ]
    const w = mount(() =>
      h(PlainSelect, {
        value: value.value,
        options: templates,
        placeholder: 'Choose a template',
        required: true,
        'onUpdate:value': (v: string | number | null) => (value.value = v),
      }),
    )
    const select = w.get('select')
    // Nothing chosen: the placeholder shows, and cannot be chosen back.
    const first = select.findAll('option')[0]
    expect(first.text()).toBe('Choose a template')
    expect(first.attributes('disabled')).toBeDefined()
    expect(select.attributes('required')).toBeDefined()
    await select.setValue('7')
    expect(value.value).toBe(7)
    await w.vm.$nextTick()
    expect(select.findAll('option').map((o) => o.text())).toEqual(['#12 · 1.2.0', '#7 · 1.1.0'])
    expect((select.element as HTMLSelectElement).value).toBe('7')
  })
})

describe('PlainPager', () => {
  it('shows every page up to nine, else the ends and two on each side of the current one', () => {
    expect(pageCount(0, 20)).toBe(1)
    expect(pageCount(10_000, 20)).toBe(500)
    expect(pagerSlots(1, 3)).toEqual([1, 2, 3])
    expect(pagerSlots(1, 500)).toEqual([1, 2, 3, 4, 5, 6, 7, 'forward', 500])
    expect(pagerSlots(5, 500)).toEqual([1, 2, 3, 4, 5, 6, 7, 'forward', 500])
    expect(pagerSlots(6, 500)).toEqual([1, 'back', 4, 5, 6, 7, 8, 'forward', 500])
    expect(pagerSlots(496, 500)).toEqual([1, 'back', 494, 495, 496, 497, 498, 499, 500])
    expect(pagerSlots(900, 500)).toEqual([1, 'back', 494, 495, 496, 497, 498, 499, 500])
  })

  it('asks for the page clicked, five pages on a jump, and a new size', async () => {
    const pages: number[] = []
    const sizes: number[] = []
    const w = mount(() =>
      h(PlainPager, {
        page: 6,
        pageSize: 20,
        itemCount: 10_000,
        pageSizes: [20, 50],
        onUpdatePage: (p: number) => pages.push(p),
        onUpdatePageSize: (n: number) => sizes.push(n),
      }),
    )
    const items = w.findAll('.plain-pager__item')
    const current = items.find((b) => b.attributes('aria-current') === 'page')
    expect(current?.text()).toBe('6')
    await items.find((b) => b.text() === '500')!.trigger('click')
    await w.get('.plain-pager__jump').trigger('click')
    await items.find((b) => b.attributes('aria-label') === 'Next page')!.trigger('click')
    await current!.trigger('click')
    expect(pages).toEqual([500, 1, 7])
    await w.get('select').setValue('50')
    expect(sizes).toEqual([50])
    expect(w.get('select').findAll('option').map((o) => o.text())).toEqual(['20 / page', '50 / page'])
  })

  it('cannot go before the first page or past the last', () => {
    const w = mount(() => h(PlainPager, { page: 1, pageSize: 20, itemCount: 20 }))
    const [prev, , next] = w.findAll('button')
    expect(prev!.attributes('disabled')).toBeDefined()
    expect(next!.attributes('disabled')).toBeDefined()
    expect(w.find('select').exists()).toBe(false)
  })
})

describe('PlainTabs', () => {
  const Counter = defineComponent({
    props: { label: { type: String, required: true } },
    setup(p) {
      mounts.push(p.label)
      return () => h('span', p.label)
    },
  })
  const mounts: string[] = []

  function tabs(value: { value: string }) {
    return mount(
      () =>
        h(
          PlainTabs,
          { value: value.value, 'onUpdate:value': (v: string) => (value.value = v), 'data-testid': 'tabs' },
          () => [
            h(PlainTabPane, { name: 'a', tab: 'A', 'tab-props': { 'data-testid': 'tab-a', 'aria-label': 'Alpha' } }, () => h(Counter, { label: 'a' })),
            h(PlainTabPane, { name: 'b', tab: 'B', 'display-directive': 'show:lazy' }, () => h(Counter, { label: 'b' })),
            h(PlainTabPane, { name: 'c', tab: 'C', displayDirective: 'show' }, () => h(Counter, { label: 'c' })),
          ],
        ),
      { attachTo: document.body },
    )
  }

  it('draws a tab list in the ARIA pattern, with each tab’s own attributes', () => {
    mounts.length = 0
    const w = tabs(reactive({ value: 'a' }))
    const list = w.get('[role="tablist"]')
    const [a, b] = list.findAll('[role="tab"]')
    expect(a!.attributes()).toMatchObject({ 'data-testid': 'tab-a', 'aria-label': 'Alpha', 'aria-selected': 'true', tabindex: '0' })
    expect(b!.attributes()).toMatchObject({ 'aria-selected': 'false', tabindex: '-1' })
    const panel = w.get(`#${a!.attributes('aria-controls')}`)
    expect(panel.attributes('role')).toBe('tabpanel')
    expect(panel.attributes('hidden')).toBeUndefined()
    expect(w.get('[data-testid="tabs"]').classes()).toContain('plain-tabs--line')
    w.unmount()
  })

  it("draws panes as NTabs does: 'if' while shown, 'show:lazy' from its first showing, 'show' always", async () => {
    mounts.length = 0
    const value = reactive({ value: 'a' })
    const w = tabs(value)
    expect(mounts).toEqual(['a', 'c'])
    await w.findAll('[role="tab"]')[1]!.trigger('click')
    expect(value.value).toBe('b')
    expect(mounts).toEqual(['a', 'c', 'b'])
    expect(w.text()).not.toContain('a') // the 'if' pane is gone…
    await w.findAll('[role="tab"]')[0]!.trigger('click')
    expect(mounts).toEqual(['a', 'c', 'b', 'a']) // …and drawn again
    expect(w.findAll('[role="tabpanel"]')[1]!.attributes('hidden')).toBeDefined()
    expect(w.findAll('[role="tabpanel"]')[1]!.text()).toBe('b') // kept, hidden
    w.unmount()
  })

  it('moves between tabs with the arrow keys, Home and End', async () => {
    expect(tabAfterKey('ArrowRight', 2, 3)).toBe(0)
    expect(tabAfterKey('ArrowLeft', 0, 3)).toBe(2)
    expect(tabAfterKey('End', 0, 3)).toBe(2)
    expect(tabAfterKey('Home', 2, 3)).toBe(0)
    expect(tabAfterKey('a', 0, 3)).toBeNull()
    const value = reactive({ value: 'a' })
    const w = tabs(value)
    await w.findAll('[role="tab"]')[0]!.trigger('keydown', { key: 'ArrowLeft' })
    expect(value.value).toBe('c')
    expect(document.activeElement?.textContent).toBe('C')
    w.unmount()
  })
})

describe('PlainTag', () => {
  it("is a pill in the type's tone, medium unless told, as NTag", () => {
    expect(tagClasses({})).toEqual(['pill', 'pill--medium'])
    expect(tagClasses({ type: 'success', size: 'small' })).toEqual(['pill', 'pill-ok'])
    expect(tagClasses({ type: 'warning', size: 'tiny' })).toEqual(['pill', 'pill-warn', 'pill--tiny'])
    expect(tagClasses({ type: 'error' })).toEqual(['pill', 'pill-err', 'pill--medium'])
    const w = mount(() => h(PlainTag, { type: 'info', size: 'small', 'data-testid': 't' }, () => 'Read only'))
    const tag = w.get('[data-testid="t"]')
    expect(tag.element.tagName).toBe('SPAN')
    expect(tag.classes()).toEqual(['pill', 'pill-info'])
    expect(tag.text()).toBe('Read only')
  })
})

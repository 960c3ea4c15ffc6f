// The plain fields beyond the text field (PlainNumber, PlainInput's search
// type, PlainTagsInput, PlainRadioGroup, PlainCheckbox): the value each
// reports, where the caller's attributes land, their names, and what the
// keyboard does.

import { describe, expect, it } from 'vitest'
import { h, ref } from 'vue'
import { mount } from '@vue/test-utils'
import PlainNumber, { clampTo, parseWhole } from '../src/components/plain/PlainNumber'
import PlainInput from '../src/components/plain/PlainInput'
import PlainTagsInput, { withTag } from '../src/components/plain/PlainTagsInput'
import { PlainRadioButton, PlainRadioGroup } from '../src/components/plain/PlainRadioGroup'
import PlainCheckbox from '../src/components/plain/PlainCheckbox'

describe('PlainNumber', () => {
  it('parses whole numbers and keeps them within bounds', () => {
    expect(parseWhole('')).toBeNull()
    expect(parseWhole('  ')).toBeNull()
    expect(parseWhole('12')).toBe(12)
    expect(parseWhole('12.7')).toBe(12)
    expect(parseWhole('abc')).toBeNull()
    expect(clampTo(0, 1, 100)).toBe(1)
    expect(clampTo(101, 1, 100)).toBe(100)
    expect(clampTo(50, 1, 100)).toBe(50)
    expect(clampTo(-5)).toBe(-5)
  })

  it('is a native number field named by its label, reports what is typed within bounds, and brings the rest within on leaving', async () => {
    const value = ref<number | null>(10)
    const w = mount(() =>
      h(PlainNumber, {
        value: value.value,
        min: 1,
        max: 100,
        unit: '%',
        label: 'Percentage',
        class: 'pct',
        'data-testid': 'n',
        'onUpdate:value': (v: number | null) => (value.value = v),
      }),
    )
    const input = w.get('[data-testid="n"]')
    expect(input.element.tagName).toBe('INPUT')
    expect(input.attributes('type')).toBe('number')
    expect(input.attributes('aria-label')).toBe('Percentage')
    expect(w.classes()).toContain('pct')
    expect(w.get('.plain-number__unit').text()).toBe('%')
    expect(w.get('.plain-number__unit').attributes('aria-hidden')).toBe('true')
    await input.setValue('25')
    expect(value.value).toBe(25)
    await input.setValue('')
    expect(value.value).toBeNull()
    // Out of range while typing ("250" on the way to nowhere): not reported.
    await input.setValue('25')
    ;(input.element as HTMLInputElement).value = '250'
    await input.trigger('input')
    expect(value.value).toBe(25)
    await input.trigger('change')
    expect(value.value).toBe(100)
    expect((input.element as HTMLInputElement).value).toBe('100')
  })
})

describe('PlainTagsInput', () => {
  const names = { label: 'Tags', addLabel: 'Add a tag', removeLabel: (tag: string) => `Remove tag ${tag}` }

  it('adds a trimmed tag once, never an empty one, and never past the limit', () => {
    expect(withTag(['vip'], '  gold ')).toEqual(['vip', 'gold'])
    expect(withTag(['vip'], 'vip')).toEqual(['vip'])
    expect(withTag(['vip'], '   ')).toEqual(['vip'])
    expect(withTag(['a', 'b'], 'c', 2)).toEqual(['a', 'b'])
  })

  it('opens a named field on "+", adds on Enter, drops nothing on Escape, removes by its button', async () => {
    const tags = ref<string[]>(['vip'])
    const w = mount(
      () => h(PlainTagsInput, { ...names, value: tags.value, max: 3, 'data-testid': 't', 'onUpdate:value': (v: string[]) => (tags.value = v) }),
      { attachTo: document.body },
    )
    expect(w.get('[data-testid="t"]').findAll('.plain-tags__tag').map((x) => x.text())).toEqual(['vip×'])
    await w.get('[aria-label="Add a tag"]').trigger('click')
    const field = w.get('input[aria-label="Tags"]')
    expect(document.activeElement).toBe(field.element)
    await field.setValue(' gold ')
    await field.trigger('keydown', { key: 'Enter' })
    expect(tags.value).toEqual(['vip', 'gold'])
    expect(w.find('input').exists()).toBe(false)
    await w.vm.$nextTick()
    expect(document.activeElement).toBe(w.get('[aria-label="Add a tag"]').element)
    await w.get('[aria-label="Add a tag"]').trigger('click')
    await w.get('input').setValue('never')
    await w.get('input').trigger('keydown', { key: 'Escape' })
    expect(tags.value).toEqual(['vip', 'gold'])
    expect(w.find('input').exists()).toBe(false)
    // Leaving the field adds nothing either.
    await w.get('[aria-label="Add a tag"]').trigger('click')
    await w.get('input').setValue('never')
    await w.get('input').trigger('blur')
    expect(w.find('input').exists()).toBe(false)
    expect(tags.value).toEqual(['vip', 'gold'])
    await w.get('[aria-label="Remove tag vip"]').trigger('click')
    expect(tags.value).toEqual(['gold'])
    w.unmount()
  })

  it("takes no tag from an input method's Enter, and removes one copy of a tag held twice", async () => {
    const tags = ref<string[]>(['vip', 'gold', 'vip'])
    const w = mount(() => h(PlainTagsInput, { ...names, value: tags.value, 'onUpdate:value': (v: string[]) => (tags.value = v) }), { attachTo: document.body })
    await w.get('[aria-label="Add a tag"]').trigger('click')
    await w.get('input').setValue('huiyuan')
    await w.get('input').trigger('keydown', { key: 'Enter', isComposing: true })
    expect(tags.value).toEqual(['vip', 'gold', 'vip'])
    expect(w.find('input').exists()).toBe(true)
    await w.findAll('[aria-label="Remove tag vip"]')[1]!.trigger('click')
    expect(tags.value).toEqual(['vip', 'gold'])
    w.unmount()
  })

  it('offers no "+" once full', () => {
    const w = mount(() => h(PlainTagsInput, { ...names, value: ['a', 'b'], max: 2 }))
    expect(w.find('[aria-label="Add a tag"]').exists()).toBe(false)
  })
})

describe('PlainRadioGroup', () => {
  it('draws its buttons as native radios inside their labels, the label keeping its test id', async () => {
    const value = ref('stable')
    const w = mount(
      () =>
        h(PlainRadioGroup, { value: value.value, 'aria-label': 'Mode', 'data-testid': 'g', 'onUpdate:value': (v: string) => (value.value = v) }, () => [
          h(PlainRadioButton, { value: 'stable', 'data-testid': 'm-stable' }, () => 'stable_token'),
          h(PlainRadioButton, { value: 'legacy', label: 'cgi-bin/token', 'data-testid': 'm-legacy' }),
        ]),
      { attachTo: document.body },
    )
    const group = w.get('[data-testid="g"]')
    expect(group.attributes('role')).toBe('radiogroup')
    expect(group.attributes('aria-label')).toBe('Mode')
    const legacy = w.get('[data-testid="m-legacy"]')
    expect(legacy.element.tagName).toBe('LABEL')
    expect(legacy.text()).toBe('cgi-bin/token')
    expect(w.get('[data-testid="m-stable"]').classes()).toContain('plain-radio__btn--checked')
    const radios = w.findAll('input[type="radio"]')
    expect(radios.map((r) => (r.element as HTMLInputElement).checked)).toEqual([true, false])
    expect(new Set(radios.map((r) => r.attributes('name'))).size).toBe(1)
    await radios[1]!.setValue(true)
    expect(value.value).toBe('legacy')
    await w.vm.$nextTick()
    expect(legacy.classes()).toContain('plain-radio__btn--checked')
    w.unmount()
  })

  it('stays on its value when the owner does not take the new one', async () => {
    const w = mount(
      () =>
        h(PlainRadioGroup, { value: 'fast' }, () => [
          h(PlainRadioButton, { value: 'fast', label: 'Fast' }),
          h(PlainRadioButton, { value: 'realtime', label: 'Real-time' }),
        ]),
      { attachTo: document.body },
    )
    const radios = w.findAll('input')
    ;(radios[1]!.element as HTMLInputElement).checked = true
    await radios[1]!.trigger('change')
    await w.vm.$nextTick()
    expect(radios.map((r) => (r.element as HTMLInputElement).checked)).toEqual([true, false])
    w.unmount()
  })
})

describe('PlainCheckbox', () => {
  it('is a native checkbox inside its label, the test id on the box', async () => {
    const checked = ref(false)
    const w = mount(() => h(PlainCheckbox, { checked: checked.value, class: 'c', 'data-testid': 'force', 'onUpdate:checked': (v: boolean) => (checked.value = v) }, () => 'Force refresh'))
    expect(w.element.tagName).toBe('LABEL')
    expect(w.classes()).toContain('c')
    expect(w.text()).toBe('Force refresh')
    const box = w.get('[data-testid="force"]')
    expect(box.attributes('type')).toBe('checkbox')
    await box.setValue(true)
    expect(checked.value).toBe(true)
  })

  it('passes a disabled state to the box', () => {
    const w = mount(() => h(PlainCheckbox, { checked: true, disabled: true }, () => 'Publish directly'))
    expect(w.get('input').attributes('disabled')).toBeDefined()
    expect(w.classes()).toContain('plain-check--disabled')
  })
})

describe('PlainInput type="search"', () => {
  it('is a native search field with its magnifier class and name', async () => {
    const value = ref('')
    const w = mount(() => h(PlainInput, { type: 'search', value: value.value, label: 'Search AppID', 'data-testid': 's', 'onUpdate:value': (v: string) => (value.value = v) }))
    const input = w.get('[data-testid="s"]')
    expect(input.attributes('type')).toBe('search')
    expect(input.classes()).toContain('plain-input--search')
    expect(input.attributes('aria-label')).toBe('Search AppID')
    await input.setValue('wx51')
    expect(value.value).toBe('wx51')
  })
})

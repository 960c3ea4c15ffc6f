// A checkbox with its label, in the look of Naive UI's NCheckbox, drawn as
// the native <input type="checkbox"> inside a <label>: NCheckbox is a
// themed component with an animated check icon, and the token panel on
// every account page drew one. The caller's attributes (a test id) land on
// the checkbox itself; its class and style on the label.
import { h, mergeProps, type FunctionalComponent } from 'vue'

export interface PlainCheckboxProps {
  checked?: boolean
  disabled?: boolean
}

const PlainCheckbox: FunctionalComponent<PlainCheckboxProps, { 'update:checked': (checked: boolean) => void }> = (props, { attrs, emit, slots }) => {
  const { class: cls, style, ...own } = attrs
  return h('label', { class: ['plain-check', props.disabled ? 'plain-check--disabled' : null, cls], style }, [
    h(
      'input',
      mergeProps(own, {
        class: 'plain-check__box',
        type: 'checkbox',
        checked: !!props.checked,
        disabled: props.disabled,
        onChange: (e: Event) => emit('update:checked', (e.target as HTMLInputElement).checked),
      }),
    ),
    h('span', { class: 'plain-check__label' }, slots.default?.()),
  ])
}
PlainCheckbox.props = { checked: Boolean, disabled: Boolean }
PlainCheckbox.emits = ['update:checked']
PlainCheckbox.inheritAttrs = false

export default PlainCheckbox

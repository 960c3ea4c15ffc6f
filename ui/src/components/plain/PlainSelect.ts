// A list filter as the native <select>, in the look of PlainInput. Naive
// UI's NSelect is a component tree per use (selection, popover binder,
// follower, virtual list); the merchants list drew three just to filter,
// and paid for them on every visit. A native select is also what the
// keyboard and screen readers know best. The first choice is "any" (the
// placeholder), which stands for null; a `required` select shows its
// placeholder only while nothing is chosen, and it cannot be chosen back.
// Values may be strings or numbers (a template id): the option carries the
// value's text, and the change reports the option's own value.
import { h, type FunctionalComponent, type PropType } from 'vue'

export type PlainSelectValue = string | number

export interface PlainSelectOption<V extends PlainSelectValue = PlainSelectValue> {
  value: V
  label: string
}

export interface PlainSelectProps {
  value?: PlainSelectValue | null
  options: PlainSelectOption[]
  /** The label of the "any" choice (null); without it there is none. */
  placeholder?: string
  /** Something must be chosen: the placeholder shows only while nothing is, and cannot be chosen. */
  required?: boolean
  /** The select's accessible name. */
  label?: string
  size?: 'small' | 'medium'
  disabled?: boolean
}

const PlainSelect: FunctionalComponent<PlainSelectProps, { 'update:value': (value: PlainSelectValue | null) => void }> = (props, { emit }) => {
  const current = props.value == null ? '' : String(props.value)
  const choices = props.options.map((o) => {
    const text = String(o.value)
    return h('option', { key: text, value: text, selected: text === current }, o.label)
  })
  // A value none of the options has (a link to a platform since removed, or
  // the options not loaded yet) is shown as itself, never as "any".
  if (current !== '' && !props.options.some((o) => String(o.value) === current)) {
    choices.unshift(h('option', { key: `?${current}`, value: current, selected: true }, current))
  }
  if (props.placeholder !== undefined && !(props.required && current !== '')) {
    choices.unshift(h('option', { key: '', value: '', selected: current === '', disabled: props.required }, props.placeholder))
  }
  return h(
    'select',
    {
      class: ['plain-input', 'plain-select', `plain-input--${props.size ?? 'medium'}`, current === '' ? 'plain-select--any' : null],
      value: current,
      'aria-label': props.label,
      disabled: props.disabled,
      required: props.required,
      onChange: (e: Event) => {
        const v = (e.target as HTMLSelectElement).value
        const picked = props.options.find((o) => String(o.value) === v)
        emit('update:value', picked ? picked.value : v === '' ? null : v)
      },
    },
    choices,
  )
}
PlainSelect.props = {
  value: [String, Number] as PropType<PlainSelectValue | null>,
  options: { type: Array as PropType<PlainSelectOption[]>, required: true },
  placeholder: String,
  required: Boolean,
  label: String,
  size: String as PropType<'small' | 'medium'>,
  disabled: Boolean,
}
PlainSelect.emits = ['update:value']

export default PlainSelect

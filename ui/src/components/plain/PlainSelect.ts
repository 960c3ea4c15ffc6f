// A list filter as the native <select>, in the look of PlainInput. Naive
// UI's NSelect is a component tree per use (selection, popover binder,
// follower, virtual list); the merchants list drew three just to filter,
// and paid for them on every visit. A native select is also what the
// keyboard and screen readers know best. The first choice is "any" (the
// placeholder), which stands for null.
import { h, type FunctionalComponent, type PropType } from 'vue'

export interface PlainSelectOption {
  value: string
  label: string
}

export interface PlainSelectProps {
  value?: string | null
  options: PlainSelectOption[]
  /** The label of the "any" choice (null); without it there is none. */
  placeholder?: string
  /** The select's accessible name. */
  label?: string
  size?: 'small' | 'medium'
  disabled?: boolean
}

const PlainSelect: FunctionalComponent<PlainSelectProps, { 'update:value': (value: string | null) => void }> = (props, { emit }) => {
  const current = props.value ?? ''
  const choices = props.options.map((o) => h('option', { key: o.value, value: o.value, selected: o.value === current }, o.label))
  // A value none of the options has (a link to a platform since removed, or
  // the options not loaded yet) is shown as itself, never as "any".
  if (current !== '' && !props.options.some((o) => o.value === current)) {
    choices.unshift(h('option', { key: `?${current}`, value: current, selected: true }, current))
  }
  if (props.placeholder !== undefined) choices.unshift(h('option', { key: '', value: '', selected: current === '' }, props.placeholder))
  return h(
    'select',
    {
      class: ['plain-input', 'plain-select', `plain-input--${props.size ?? 'medium'}`, current === '' ? 'plain-select--any' : null],
      value: current,
      'aria-label': props.label,
      disabled: props.disabled,
      onChange: (e: Event) => {
        const v = (e.target as HTMLSelectElement).value
        emit('update:value', v === '' ? null : v)
      },
    },
    choices,
  )
}
PlainSelect.props = {
  value: String as PropType<string | null>,
  options: { type: Array as PropType<PlainSelectOption[]>, required: true },
  placeholder: String,
  label: String,
  size: String as PropType<'small' | 'medium'>,
  disabled: Boolean,
}
PlainSelect.emits = ['update:value']

export default PlainSelect

// A whole-number field as the native <input type="number">, in the look of
// PlainInput, with an optional unit after it ("%", "seconds"). Naive UI's
// NInputNumber is an NInput plus two buttons, their icons and its own
// parsing; the release page drew two just to hold a percentage and a
// delay. The native field brings the arrow keys, the spin buttons and the
// `spinbutton` role. While typing, the value is reported when it parses and
// lies within [min, max] (empty is null); on leaving the field (`change`) a
// value outside is brought within and shown as kept. The unit is part of the field's look only;
// the accessible name says what the number counts.
import { h, mergeProps, type FunctionalComponent, type PropType } from 'vue'

export interface PlainNumberProps {
  value?: number | null
  min?: number
  max?: number
  /** What the arrow keys and spin buttons add (1 by default). */
  step?: number
  placeholder?: string
  /** The field's accessible name. */
  label?: string
  /** The unit shown after the number ("%", "s"). */
  unit?: string
  size?: 'small' | 'medium'
  disabled?: boolean
}

/** What `text` holds as a whole number, or null when it holds none. */
export function parseWhole(text: string): number | null {
  const trimmed = text.trim()
  if (trimmed === '') return null
  const n = Number(trimmed)
  return Number.isFinite(n) ? Math.trunc(n) : null
}

/** `n` kept within [min, max] (either bound may be absent). */
export function clampTo(n: number, min?: number, max?: number): number {
  if (min !== undefined && n < min) return min
  if (max !== undefined && n > max) return max
  return n
}

const PlainNumber: FunctionalComponent<PlainNumberProps, { 'update:value': (value: number | null) => void }> = (props, { attrs, emit }) => {
  // The caller's attributes (a test id, a key handler) are the field's own;
  // its class and style size the whole (the field and its unit).
  const { class: cls, style, ...own } = attrs
  const input = h('input', mergeProps(own, {
    class: 'plain-number__input',
    type: 'number',
    inputmode: 'numeric',
    step: props.step ?? 1,
    min: props.min,
    max: props.max,
    value: props.value ?? '',
    placeholder: props.placeholder,
    'aria-label': props.label,
    disabled: props.disabled,
    autocomplete: 'off',
    // While typing, only what could stay is reported ("5" on the way to
    // "512" is not), as NInputNumber does; leaving the field keeps it in range.
    onInput: (e: Event) => {
      const n = parseWhole((e.target as HTMLInputElement).value)
      if (n === null || clampTo(n, props.min, props.max) === n) emit('update:value', n)
    },
    onChange: (e: Event) => {
      const el = e.target as HTMLInputElement
      const n = parseWhole(el.value)
      if (n === null) return
      const kept = clampTo(n, props.min, props.max)
      if (String(kept) !== el.value) el.value = String(kept)
      emit('update:value', kept)
    },
  }))
  // The field's border and focus ring are the wrapper's (a plain-input), so
  // the unit sits inside the same box whatever its length.
  return h(
    'span',
    {
      class: ['plain-input', `plain-input--${props.size ?? 'medium'}`, 'plain-number', props.disabled ? 'plain-number--disabled' : null, cls],
      style,
    },
    [input, props.unit ? h('span', { class: 'plain-number__unit', 'aria-hidden': 'true' }, props.unit) : null],
  )
}

PlainNumber.props = {
  value: Number as PropType<number | null>,
  min: Number,
  max: Number,
  step: Number,
  placeholder: String,
  label: String,
  unit: String,
  size: String as PropType<'small' | 'medium'>,
  disabled: Boolean,
}
PlainNumber.emits = ['update:value']
PlainNumber.inheritAttrs = false

export default PlainNumber

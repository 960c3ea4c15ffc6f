// A text field in the look of Naive UI's NInput, drawn as the native <input>
// or <textarea> itself by a functional component (NInput is a component with
// a wrapper, a mirror element for autosize and a dozen computed styles; a
// release page drew 16). Attributes land on the native element, so a
// `data-testid` or `@keyup.enter` is the field's own and `aria-label` names
// it. A textarea grows with its lines between `minRows` and `maxRows`,
// counted from the text instead of measured, so typing never forces a layout.
// A `search` field (list filters) has a magnifier before the text and the
// engine's own clear button (and Escape) after it, where NInput's clearable
// field animated its clear icon on every keystroke.
import { h, type FunctionalComponent, type PropType } from 'vue'

export interface PlainInputProps {
  value?: string | null
  type?: 'text' | 'password' | 'textarea' | 'search'
  size?: 'small' | 'medium'
  placeholder?: string
  /** The field's accessible name (the visible label is not tied to it). */
  label?: string
  disabled?: boolean
  readonly?: boolean
  /** A textarea's rows: at least this many (1 by default)… */
  minRows?: number
  /** …and at most this many before it scrolls. */
  maxRows?: number
  status?: 'error' | 'warning'
}

/** The rows a textarea shows for `text`: its line count, kept within [min, max]. */
export function rowsFor(text: string | null | undefined, minRows = 1, maxRows = Infinity): number {
  const lines = text ? text.split('\n').length : 1
  return Math.max(minRows, Math.min(maxRows, lines))
}

const PlainInput: FunctionalComponent<PlainInputProps, { 'update:value': (value: string) => void }> = (props, { emit }) => {
  const textarea = props.type === 'textarea'
  const classes = ['plain-input', `plain-input--${props.size ?? 'medium'}`]
  if (props.status) classes.push(`plain-input--${props.status}`)
  if (props.type === 'search') classes.push('plain-input--search')
  return h(textarea ? 'textarea' : 'input', {
    class: classes,
    type: textarea ? undefined : (props.type ?? 'text'),
    rows: textarea ? rowsFor(props.value, props.minRows, props.maxRows) : undefined,
    value: props.value ?? '',
    placeholder: props.placeholder,
    'aria-label': props.label,
    'aria-invalid': props.status === 'error' ? 'true' : undefined,
    disabled: props.disabled,
    readonly: props.readonly,
    spellcheck: 'false',
    autocomplete: 'off',
    onInput: (e: Event) => emit('update:value', (e.target as HTMLInputElement | HTMLTextAreaElement).value),
  })
}
PlainInput.props = {
  value: String as PropType<string | null>,
  type: String as PropType<'text' | 'password' | 'textarea' | 'search'>,
  size: String as PropType<'small' | 'medium'>,
  placeholder: String,
  label: String,
  disabled: Boolean,
  readonly: Boolean,
  minRows: Number,
  maxRows: Number,
  status: String as PropType<'error' | 'warning'>,
}
PlainInput.emits = ['update:value']

export default PlainInput

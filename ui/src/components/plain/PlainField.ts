// A labelled field in the layout of Naive UI's top-labelled NFormItem (label
// above, the control, a line for feedback below), as plain elements. The
// release page's forms validate in code and name every problem themselves,
// so they need the layout, not NFormItem's rule engine per field.
import { h, type FunctionalComponent } from 'vue'

export interface PlainFieldProps {
  label?: string
  /** A problem with the value, shown under the control. */
  feedback?: string | null
}

const PlainField: FunctionalComponent<PlainFieldProps> = (props, { slots }) => {
  const label = slots.label ? slots.label() : props.label
  return h('div', { class: ['plain-field', props.feedback ? 'plain-field--error' : null] }, [
    label !== undefined ? h('div', { class: 'plain-field__label' }, label) : null,
    h('div', { class: 'plain-field__control' }, slots.default?.()),
    h('div', { class: 'plain-field__feedback', role: props.feedback ? 'alert' : undefined }, props.feedback ?? undefined),
  ])
}
PlainField.props = { label: String, feedback: String }

export default PlainField

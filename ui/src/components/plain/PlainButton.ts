// A button in the look of Naive UI's NButton, drawn as one plain <button> by
// a functional component. NButton is a full component per use (configuration,
// theme, wave and ripple state, a dozen computed styles); the release page
// alone drew 25 of them, and under the desktop window's interpreter (no JIT)
// every instance is paid for on each screen switch. This one keeps what the
// screens use: types, secondary / tertiary / quaternary / ghost, sizes, circle, an icon slot,
// and a loading state that also refuses clicks (an action is never sent twice
// because the first click was still running) while keeping keyboard focus.
import { h, type FunctionalComponent, type PropType } from 'vue'

export type PlainButtonType = 'default' | 'primary' | 'info' | 'success' | 'warning' | 'error'
export type PlainButtonSize = 'tiny' | 'small' | 'medium'

export interface PlainButtonProps {
  type?: PlainButtonType
  size?: PlainButtonSize
  secondary?: boolean
  quaternary?: boolean
  /** Transparent, in the type's colour (border and text). */
  ghost?: boolean
  /** Grey, the text in the type's colour. */
  tertiary?: boolean
  circle?: boolean
  loading?: boolean
  disabled?: boolean
  /** The native button type; `button` unless a form is to be submitted. */
  attrType?: 'button' | 'submit' | 'reset'
}

/** The classes of a button with these props. */
export function buttonClasses(p: PlainButtonProps): string[] {
  const out = ['plain-btn', `plain-btn--${p.type ?? 'default'}`, `plain-btn--${p.size ?? 'medium'}`]
  if (p.secondary) out.push('plain-btn--secondary')
  if (p.quaternary) out.push('plain-btn--quaternary')
  if (p.ghost) out.push('plain-btn--ghost')
  if (p.tertiary) out.push('plain-btn--tertiary')
  if (p.circle) out.push('plain-btn--circle')
  if (p.loading) out.push('plain-btn--loading')
  return out
}

const PlainButton: FunctionalComponent<PlainButtonProps> = (props, { slots }) => {
  const icon = props.loading
    ? h('span', { class: 'plain-btn__icon' }, [h('span', { class: 'plain-btn__spinner', 'aria-hidden': 'true' })])
    : slots.icon
      ? h('span', { class: 'plain-btn__icon', 'aria-hidden': 'true' }, slots.icon())
      : null
  const label = slots.default ? h('span', { class: 'plain-btn__label' }, slots.default()) : null
  return h(
    'button',
    {
      type: props.attrType ?? 'button',
      class: buttonClasses(props),
      disabled: props.disabled,
      // While loading the button keeps its focus (a disabled one would drop
      // it to the page) but refuses clicks, and a submit button submits
      // nothing; the caller's click handler comes after this one.
      'aria-disabled': props.loading ? 'true' : undefined,
      'aria-busy': props.loading ? 'true' : undefined,
      onClick: props.loading ? refuse : undefined,
    },
    [icon, label],
  )
}

/** Stops a click on a loading button: no default action, no other handler. */
function refuse(e: Event): void {
  e.preventDefault()
  e.stopImmediatePropagation()
}
PlainButton.props = {
  type: String as PropType<PlainButtonType>,
  size: String as PropType<PlainButtonSize>,
  secondary: Boolean,
  quaternary: Boolean,
  ghost: Boolean,
  tertiary: Boolean,
  circle: Boolean,
  loading: Boolean,
  disabled: Boolean,
  attrType: String as PropType<'button' | 'submit' | 'reset'>,
}

export default PlainButton

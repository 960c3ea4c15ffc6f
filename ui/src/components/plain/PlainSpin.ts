// A loading veil in the look of Naive UI's NSpin: while `show`, the content
// is dimmed and cannot be clicked, and a spinner sits over its middle. NSpin
// animates its veil with a Transition that measures the page each time it
// turns on or off; a grid of merchants or calls turned it on and off on
// every page and filter, inside every screen switch. Here the veil is a
// class and a CSS transition, and the region says it is busy (`aria-busy`).
import { h, type FunctionalComponent, type PropType } from 'vue'

export interface PlainSpinProps {
  show?: boolean
  size?: 'small' | 'medium'
}

const PlainSpin: FunctionalComponent<PlainSpinProps> = (props, { slots }) =>
  h('div', { class: ['plain-spin', props.show ? 'plain-spin--show' : null], 'aria-busy': props.show ? 'true' : undefined }, [
    h('div', { class: 'plain-spin__content' }, slots.default?.()),
    props.show
      ? h('div', { class: 'plain-spin__veil' }, [h('span', { class: ['plain-spin__icon', `plain-spin__icon--${props.size ?? 'medium'}`] })])
      : null,
  ])
PlainSpin.props = { show: Boolean, size: String as PropType<'small' | 'medium'> }

export default PlainSpin

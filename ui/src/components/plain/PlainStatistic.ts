// A figure with its label, in the look of Naive UI's NStatistic (a label,
// then the value large, then an optional suffix). The meter card drew four
// to eight NStatistic components on every account page and the dashboard.
import { h, type FunctionalComponent, type PropType } from 'vue'

export interface PlainStatisticProps {
  label?: string
  value?: string | number
}

const PlainStatistic: FunctionalComponent<PlainStatisticProps> = (props, { slots }) =>
  h('div', { class: 'plain-stat' }, [
    h('div', { class: 'plain-stat__label' }, props.label),
    h('div', { class: 'plain-stat__value' }, [
      h('span', { class: 'plain-stat__content' }, slots.default ? slots.default() : String(props.value ?? '')),
      slots.suffix ? h('span', { class: 'plain-stat__suffix' }, slots.suffix()) : null,
    ]),
  ])
PlainStatistic.props = { label: String, value: [String, Number] as PropType<string | number> }

export default PlainStatistic

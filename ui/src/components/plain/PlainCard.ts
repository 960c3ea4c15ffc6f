// A card in the look of Naive UI's NCard (title, an extra slot on the right
// of the title, content), as plain elements: the detail pages are made of
// them, and NCard is a component with its own theme and configuration
// lookups per use.
import { h, type FunctionalComponent, type PropType } from 'vue'

export interface PlainCardProps {
  title?: string
  size?: 'small' | 'medium'
}

const PlainCard: FunctionalComponent<PlainCardProps> = (props, { slots }) => {
  const hasHeader = props.title !== undefined || slots.header || slots['header-extra']
  return h('section', { class: ['plain-card', props.size === 'small' ? 'plain-card--small' : null] }, [
    hasHeader
      ? h('div', { class: 'plain-card__header' }, [
          h('div', { class: 'plain-card__title', role: 'heading', 'aria-level': 2 }, slots.header ? slots.header() : props.title),
          slots['header-extra'] ? h('div', { class: 'plain-card__extra' }, slots['header-extra']()) : null,
        ])
      : null,
    h('div', { class: 'plain-card__content' }, slots.default?.()),
  ])
}
PlainCard.props = { title: String, size: String as PropType<'small' | 'medium'> }

export default PlainCard

// A borderless tag (a status, a kind, a stage) as one <span> in the shared
// `.pill` look (style.css), in place of Naive UI's NTag: a component per tag,
// and a new style sheet injected the first time each type and size meets on
// a screen (so a first visit restyled the whole page for it).
import { h, type FunctionalComponent, type PropType } from 'vue'

export type PlainTagType = 'default' | 'primary' | 'success' | 'info' | 'warning' | 'error'

export interface PlainTagProps {
  type?: PlainTagType
  size?: 'tiny' | 'small' | 'medium'
}

const TONE: Record<PlainTagType, string | null> = {
  default: null,
  primary: 'pill-ok',
  success: 'pill-ok',
  info: 'pill-info',
  warning: 'pill-warn',
  error: 'pill-err',
}

/** The classes of a tag with these props. */
export function tagClasses(p: PlainTagProps): string[] {
  const out = ['pill']
  const tone = TONE[p.type ?? 'default']
  if (tone) out.push(tone)
  // Medium unless told, as NTag; the shared .pill is the small size.
  const size = p.size ?? 'medium'
  if (size !== 'small') out.push(`pill--${size}`)
  return out
}

const PlainTag: FunctionalComponent<PlainTagProps> = (props, { slots }) => h('span', { class: tagClasses(props) }, slots.default?.())
PlainTag.props = {
  type: String as PropType<PlainTagType>,
  size: String as PropType<'tiny' | 'small' | 'medium'>,
}

export default PlainTag

// A row (or column) of items spaced the way Naive UI's NSpace spaces them —
// the same gaps, alignment and wrapping, each item in its own box — drawn as
// plain elements by a functional component. NSpace is a full component per
// use (configuration, theme and right-to-left lookups, a merged theme); the
// detail pages drew a dozen each, and under the desktop window's interpreter
// (no JIT) every component instance is paid for on each screen switch.
import { Comment, Fragment, createTextVNode, h, type FunctionalComponent, type PropType, type VNode, type VNodeArrayChildren } from 'vue'

export type FlexSize = 'small' | 'medium' | 'large' | number | [number, number]

export interface FlexProps {
  vertical?: boolean
  /** Naive UI's sizes (small, medium, large), or px: one number or [horizontal, vertical]. */
  size?: FlexSize
  /** `align-items` (start, center, end, baseline…). */
  align?: string
  /** start, end, center, space-between, space-around, space-evenly. */
  justify?: string
  /** Rows wrap unless `false` (a column never wraps). */
  wrap?: boolean
}

/** Naive UI's space gaps, [horizontal, vertical] in px. */
const GAPS: Record<'small' | 'medium' | 'large', [number, number]> = { small: [8, 4], medium: [12, 8], large: [16, 12] }

/** [horizontal, vertical] gap in px. */
export function gapOf(size: FlexSize | undefined): [number, number] {
  if (Array.isArray(size)) return size
  if (typeof size === 'number') return [size, size]
  return GAPS[size ?? 'medium']
}

/** The slot's nodes with fragments opened; comments kept (unwrapped) so a `v-if` keeps its place. */
export function flattenItems(nodes: VNodeArrayChildren, out: VNode[] = []): VNode[] {
  for (const n of nodes) {
    if (n === null || n === undefined || typeof n === 'boolean') continue
    if (typeof n === 'string' || typeof n === 'number') out.push(createTextVNode(String(n)))
    else if (Array.isArray(n)) flattenItems(n, out)
    else if (n.type === Fragment) {
      if (Array.isArray(n.children)) flattenItems(n.children as VNodeArrayChildren, out)
    } else out.push(n)
  }
  return out
}

const justifyContent = (j: string) => (j === 'start' || j === 'end' ? `flex-${j}` : j)

const Flex: FunctionalComponent<FlexProps> = (props, { slots }) => {
  const items = flattenItems(slots.default?.() ?? [])
  if (items.length === 0) return null
  const [across, down] = gapOf(props.size)
  const style = {
    display: 'flex',
    flexDirection: props.vertical ? 'column' : 'row',
    justifyContent: justifyContent(props.justify ?? 'start'),
    flexWrap: props.wrap === false || props.vertical ? 'nowrap' : 'wrap',
    alignItems: props.align,
    gap: `${down}px ${across}px`,
  }
  return h(
    'div',
    { role: 'none', style },
    items.map((item) => (item.type === Comment ? item : h('div', { role: 'none', style: 'max-width: 100%' }, [item]))),
  )
}
Flex.props = {
  vertical: Boolean,
  size: [String, Number, Array] as PropType<FlexSize>,
  align: String,
  justify: String,
  wrap: { type: Boolean, default: true },
}

export default Flex

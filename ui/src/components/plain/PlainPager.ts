// A remote pager in the look and layout of Naive UI's small NPagination:
// previous, the first and last pages, two on each side of the current one,
// "…" to jump five pages, next, and the page size as a native select. The
// merchants lists page through 10,000 rows; NPagination was a component tree
// of its own (with a select inside) on every visit of them.
import { h, type FunctionalComponent, type PropType } from 'vue'
import { i18n } from '../../i18n'
import PlainSelect from './PlainSelect'

export interface PlainPagerProps {
  page: number
  pageSize: number
  itemCount: number
  pageSizes?: number[]
  onUpdatePage?: (page: number) => void
  onUpdatePageSize?: (size: number) => void
}

/** A page number, or a jump of five pages back / forward. */
export type PagerSlot = number | 'back' | 'forward'

/** How many pages `itemCount` items make (at least one). */
export function pageCount(itemCount: number, pageSize: number): number {
  return Math.max(1, Math.ceil(itemCount / Math.max(1, pageSize)))
}

/** The slots shown for `page` of `count`: all of up to nine, else the first, the last, and the current one with two on each side. */
export function pagerSlots(page: number, count: number): PagerSlot[] {
  if (count <= 9) return Array.from({ length: count }, (_, i) => i + 1)
  const p = Math.min(Math.max(1, page), count)
  if (p <= 5) return [1, 2, 3, 4, 5, 6, 7, 'forward', count]
  if (p >= count - 4) return [1, 'back', ...Array.from({ length: 7 }, (_, i) => count - 6 + i)]
  return [1, 'back', p - 2, p - 1, p, p + 1, p + 2, 'forward', count]
}

const JUMP = 5

const PlainPager: FunctionalComponent<PlainPagerProps> = (props) => {
  const t = i18n.global.t
  const count = pageCount(props.itemCount, props.pageSize)
  const page = Math.min(Math.max(1, props.page), count)
  const go = (p: number) => {
    const to = Math.min(Math.max(1, p), count)
    if (to !== page) props.onUpdatePage?.(to)
  }
  const item = (slot: PagerSlot) => {
    if (slot === 'back' || slot === 'forward') {
      const n = slot === 'back' ? -JUMP : JUMP
      return h(
        'button',
        { type: 'button', class: 'plain-pager__item plain-pager__jump', 'aria-label': t(slot === 'back' ? 'common.pager.back' : 'common.pager.forward', { n: JUMP }), onClick: () => go(page + n) },
        '…',
      )
    }
    const current = slot === page
    return h(
      'button',
      {
        type: 'button',
        class: ['plain-pager__item', current ? 'plain-pager__item--current' : null],
        'aria-label': t('common.pager.page', { n: slot }),
        'aria-current': current ? 'page' : undefined,
        onClick: () => go(slot),
      },
      String(slot),
    )
  }
  const sizes = props.pageSizes ?? []
  return h('nav', { class: 'plain-pager', 'aria-label': t('common.pager.label') }, [
    h('button', { type: 'button', class: 'plain-pager__item', disabled: page <= 1, 'aria-label': t('common.pager.prev'), onClick: () => go(page - 1) }, '‹'),
    ...pagerSlots(page, count).map(item),
    h('button', { type: 'button', class: 'plain-pager__item', disabled: page >= count, 'aria-label': t('common.pager.next'), onClick: () => go(page + 1) }, '›'),
    sizes.length
      ? h(PlainSelect, {
          class: 'plain-pager__size',
          size: 'small',
          value: String(props.pageSize),
          options: sizes.map((n) => ({ value: String(n), label: t('common.pager.perPage', { n }) })),
          label: t('common.pager.size'),
          'onUpdate:value': (v: string | null) => v && props.onUpdatePageSize?.(Number(v)),
        })
      : null,
  ])
}
PlainPager.props = {
  page: { type: Number, required: true },
  pageSize: { type: Number, required: true },
  itemCount: { type: Number, required: true },
  pageSizes: Array as PropType<number[]>,
  onUpdatePage: Function as PropType<(page: number) => void>,
  onUpdatePageSize: Function as PropType<(size: number) => void>,
}

export default PlainPager

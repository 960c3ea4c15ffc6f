// A list paged in the core (the merchants screens: a platform may have
// 10,000): the page, its size, the total the core reported, and the
// pager's props bound to them. A new page loads it; a new size starts
// again at the first page, as does `first()` for new filters.

import { computed, ref } from 'vue'
import type { PlainPagerProps } from '../components/plain/PlainPager'

/** Rows a page offers; the first is the default (a screenful). */
export const PAGE_SIZES = [20, 50, 100, 200]

export function usePaging(load: () => void) {
  const page = ref(1)
  const pageSize = ref(PAGE_SIZES[0]!)
  /** Every match of the filters, on all pages (from the core's answer). */
  const total = ref(0)
  const offset = computed(() => (page.value - 1) * pageSize.value)

  /** New filters: back to the first page, loaded. */
  function first() {
    page.value = 1
    load()
  }

  /**
   * After an answer with `rows` rows of `reported` matches: a page past the
   * end (the list shrank meanwhile, e.g. a revocation) moves to the last
   * page; true when that page must be asked for.
   */
  function pastTheEnd(rows: number, reported: number): boolean {
    if (rows > 0 || reported === 0 || page.value <= 1) return false
    page.value = Math.max(1, Math.ceil(reported / pageSize.value))
    return true
  }

  const pagination = computed<PlainPagerProps>(() => ({
    page: page.value,
    pageSize: pageSize.value,
    itemCount: total.value,
    pageSizes: PAGE_SIZES,
    onUpdatePage: (p: number) => {
      page.value = p
      load()
    },
    onUpdatePageSize: (n: number) => {
      pageSize.value = n
      first()
    },
  }))

  return { page, pageSize, total, offset, first, pastTheEnd, pagination }
}

// usePaging: a new page loads it, a new size or `first()` starts again at
// page 1, and an answer with no rows for a page past the end (the list
// shrank) moves to the last page and asks for it.

import { describe, expect, it } from 'vitest'
import { PAGE_SIZES, usePaging } from '../src/composables/usePaging'

describe('usePaging', () => {
  it('pages, resizes and falls back from past the end', () => {
    let loads = 0
    const p = usePaging(() => (loads += 1))
    expect(p.pageSize.value).toBe(PAGE_SIZES[0])
    p.total.value = 95
    ;(p.pagination.value.onUpdatePage as (n: number) => void)(5)
    expect([p.page.value, p.offset.value, loads]).toEqual([5, 80, 1])
    // The list shrank to 60: page 5 is empty, page 3 is the last.
    expect(p.pastTheEnd(0, 60)).toBe(true)
    expect([p.page.value, p.offset.value]).toEqual([3, 40])
    // Rows on the page, or nothing at all, or page 1: nothing to move.
    expect(p.pastTheEnd(5, 60)).toBe(false)
    expect(p.pastTheEnd(0, 0)).toBe(false)
    ;(p.pagination.value.onUpdatePageSize as (n: number) => void)(50)
    expect([p.page.value, p.pageSize.value, p.offset.value, loads]).toEqual([1, 50, 0, 2])
    expect(p.pastTheEnd(0, 60)).toBe(false)
    p.page.value = 2
    p.first()
    expect([p.page.value, loads]).toEqual([1, 3])
  })
})

// useLatest decides which answer may still be shown: a reload (`begin`)
// outdates every earlier request; a "load more" (`join`) belongs to the
// reload it continues and is outdated by the next one.

import { describe, expect, it } from 'vitest'
import { useLatest } from '../src/composables/useLatest'

describe('useLatest', () => {
  it('a newer reload outdates older ones and the loads that joined them', () => {
    const latest = useLatest()
    const first = latest.begin()
    const more = latest.join()
    expect(first()).toBe(true)
    expect(more()).toBe(true)
    const second = latest.begin()
    expect(first()).toBe(false)
    expect(more()).toBe(false)
    expect(second()).toBe(true)
    const moreOnSecond = latest.join()
    expect(moreOnSecond()).toBe(true)
    expect(second()).toBe(true)
  })

  it('two lists keep separate counts', () => {
    const a = useLatest()
    const b = useLatest()
    const fromA = a.begin()
    b.begin()
    expect(fromA()).toBe(true)
  })
})

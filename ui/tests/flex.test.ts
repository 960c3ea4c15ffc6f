// Flex stands in for Naive UI's NSpace on every screen: the same gaps per
// size, rows that wrap unless told not to, a column that never wraps, each
// item in its own box, a `v-if` left as a comment in its place, nothing at all
// for an empty slot, and the caller's class and test id on the root.

import { describe, expect, it } from 'vitest'
import { Comment, Fragment, createCommentVNode, h } from 'vue'
import { mount } from '@vue/test-utils'
import Flex, { flattenItems, gapOf } from '../src/components/Flex'

describe('Flex', () => {
  it("spaces items with Naive UI's gaps", () => {
    expect(gapOf(undefined)).toEqual([12, 8])
    expect(gapOf('small')).toEqual([8, 4])
    expect(gapOf('large')).toEqual([16, 12])
    expect(gapOf(6)).toEqual([6, 6])
    expect(gapOf([10, 2])).toEqual([10, 2])
  })

  it('opens fragments and keeps comments in place', () => {
    const items = flattenItems([h('b'), [h(Fragment, [h('i'), createCommentVNode('v-if')])], null, false, 'text'])
    expect(items.map((n) => (n.type === Comment ? 'comment' : typeof n.type === 'string' ? n.type : 'text'))).toEqual([
      'b',
      'i',
      'comment',
      'text',
    ])
  })

  it('draws a wrapping row of boxed items, the caller’s attributes on its root', () => {
    const w = mount(() =>
      h(Flex, { size: 'small', align: 'center', justify: 'space-between', class: 'gap', 'data-testid': 'row' }, () => [
        h('button', 'a'),
        createCommentVNode('v-if'),
        h('button', 'b'),
      ]),
    )
    const root = w.get('[data-testid="row"]')
    expect(root.classes()).toContain('gap')
    const style = (root.element as HTMLElement).style
    expect(style.display).toBe('flex')
    expect(style.flexDirection).toBe('row')
    expect(style.flexWrap).toBe('wrap')
    expect(style.justifyContent).toBe('space-between')
    expect(style.alignItems).toBe('center')
    expect(style.gap).toBe('4px 8px')
    // Two boxes: the comment is not boxed.
    expect(root.element.children).toHaveLength(2)
    expect(root.findAll('div[role="none"] > button').map((b) => b.text())).toEqual(['a', 'b'])
  })

  it('keeps a row on one line when asked, never wraps a column, and draws nothing when empty', () => {
    const row = mount(() => h(Flex, { wrap: false, justify: 'end' }, () => [h('span', 'a')]))
    expect((row.element as HTMLElement).style.flexWrap).toBe('nowrap')
    expect((row.element as HTMLElement).style.justifyContent).toBe('flex-end')
    const column = mount(() => h(Flex, { vertical: true, size: 16 }, () => [h('span', 'a'), h('span', 'b')]))
    expect((column.element as HTMLElement).style.flexDirection).toBe('column')
    expect((column.element as HTMLElement).style.flexWrap).toBe('nowrap')
    expect((column.element as HTMLElement).style.gap).toBe('16px 16px')
    const empty = mount(() => h('div', { id: 'host' }, [h(Flex, null, () => [])]))
    expect(empty.get('#host').element.children).toHaveLength(0)
  })
})

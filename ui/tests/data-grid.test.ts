// DataGrid draws every list: its rows come from one render function
// (GridBody), so what the old template did per cell is checked here — the
// row's own attributes merged with the grid's (a clickable row keeps its
// hover and border rules), cells drawn from `render` or the key, an ellipsis
// cell's title, the empty state, and rows that follow their data.

import { describe, expect, it, vi } from 'vitest'
import { h, shallowRef } from 'vue'
import { mount } from '@vue/test-utils'
import DataGrid, { type GridColumn } from '../src/components/DataGrid.vue'
import { i18n } from '../src/i18n'

interface Row {
  appid: string
  name: string
  calls: number
}

const columns: GridColumn<Row>[] = [
  { key: 'appid', title: 'AppID', render: (r) => h('code', { class: 'mono' }, r.appid) },
  { key: 'name', title: 'Name', ellipsis: true },
  { key: 'calls', title: 'Calls', align: 'right' },
]

function grid(data: { value: Row[] }, onRow = vi.fn()) {
  return mount(
    () =>
      h(DataGrid<Row>, {
        columns,
        data: data.value,
        rowKey: (r: Row) => r.appid,
        rowProps: (r: Row) => ({ class: 'clickable-row', 'data-testid': `row-${r.appid}`, onClick: () => onRow(r.appid) }),
      }),
    { global: { plugins: [i18n] } },
  )
}

describe('DataGrid', () => {
  it("merges a row's own class and handlers with the grid's", async () => {
    const onRow = vi.fn()
    const w = grid(shallowRef([{ appid: 'wx0123456789abcdef', name: 'Shop', calls: 3 }]), onRow)
    const tr = w.get('[data-testid="row-wx0123456789abcdef"]')
    expect(tr.classes()).toEqual(expect.arrayContaining(['grid__row', 'clickable-row']))
    await tr.trigger('click')
    expect(onRow).toHaveBeenCalledWith('wx0123456789abcdef')
  })

  it('draws cells from render or the key, with the ellipsis title and alignment', () => {
    const w = grid(shallowRef([{ appid: 'wx0123456789abcdef', name: 'A very long shop name', calls: 42 }]))
    const cells = w.findAll('tbody td')
    expect(cells[0]!.get('code.mono').text()).toBe('wx0123456789abcdef')
    expect(cells[1]!.get('.grid__cut').attributes('title')).toBe('A very long shop name')
    expect(cells[2]!.text()).toBe('42')
    expect((cells[2]!.element as HTMLElement).style.textAlign).toBe('right')
  })

  it('follows its data, and says when there is none', async () => {
    const data = shallowRef<Row[]>([])
    const w = grid(data)
    expect(w.get('.grid__empty').text()).toBe(i18n.global.t('common.noData'))
    data.value = [
      { appid: 'wx0000000000000001', name: 'One', calls: 1 },
      { appid: 'wx0000000000000002', name: 'Two', calls: 2 },
    ]
    await w.vm.$nextTick()
    expect(w.findAll('tbody tr.grid__row')).toHaveLength(2)
    expect(w.find('.grid__empty').exists()).toBe(false)
  })
})

// A detail table in the look of Naive UI's NDescriptions, with the same
// template shape: `<PlainDescriptions :column label-placement bordered>`
// around `<PlainDescriptionsItem label :span>`. The items are only markers:
// the table draws their labels and contents itself, in one function, so a
// token's or a merchant's details are one element tree instead of a
// component with a theme, a style sheet and a wrapper per item (the app and
// platform pages drew NDescriptions on every visit, and its first drawing
// was the largest part of those switches). Rows are filled as NDescriptions
// fills them: items in order, `column` spans to a row, the last item
// stretched to the row's end. Labels are header cells (`th`, scoped to their
// row or column) and never break inside a word.
import { defineComponent, h, type FunctionalComponent, type PropType, type Slot, type VNode, type VNodeChild } from 'vue'
import { markersOf } from './markers'

/** One row of details: its label and content. On its own it draws its content. */
export const PlainDescriptionsItem = defineComponent({
  name: 'PlainDescriptionsItem',
  props: {
    label: String,
    span: Number,
  },
  setup: (_, { slots }) => () => slots.default?.(),
})

export interface DescriptionItem {
  label: string
  span: number
  content: Slot | undefined
}

/** The items in a slot (props as written in a template). */
function itemsOf(slot: Slot | undefined): DescriptionItem[] {
  return markersOf(slot, PlainDescriptionsItem).map(({ props: p, content }) => {
    const span = Number(p.span ?? 1)
    return {
      label: String(p.label ?? ''),
      span: Number.isFinite(span) && span >= 1 ? Math.floor(span) : 1,
      content,
    }
  })
}

/** A cell of a laid-out row: the item and the columns it takes. */
export interface DescriptionCell {
  item: DescriptionItem
  columns: number
}

/**
 * The items in rows of `column` columns, as NDescriptions lays them out: an
 * item takes its span, a row ends when it is full, and the last item takes
 * whatever its row has left.
 */
export function rowsOf(items: DescriptionItem[], column: number): DescriptionCell[][] {
  const width = Math.max(1, Math.floor(column))
  const rows: DescriptionCell[][] = []
  let row: DescriptionCell[] = []
  let used = 0
  items.forEach((item, i) => {
    const last = i === items.length - 1
    const columns = last ? Math.max(1, width - used) : item.span
    row.push({ item, columns })
    used += item.span
    if (used >= width || last) {
      rows.push(row)
      row = []
      used = 0
    }
  })
  return rows
}

export interface PlainDescriptionsProps {
  /** Columns per row (3 by default, as NDescriptions). */
  column?: number
  /** Labels beside their content (`left`) or above it (`top`, the default). */
  labelPlacement?: 'left' | 'top'
  bordered?: boolean
  size?: 'small' | 'medium'
  /** Extra style of every label cell (a fixed width). */
  labelStyle?: string | Record<string, string>
}

const content = (c: DescriptionCell): VNodeChild => c.item.content?.()

const PlainDescriptions: FunctionalComponent<PlainDescriptionsProps> = (props, { slots }) => {
  const rows = rowsOf(itemsOf(slots.default), props.column ?? 3)
  const left = props.labelPlacement === 'left'
  const bordered = !!props.bordered
  const body: VNode[] = []
  for (const row of rows) {
    if (left && bordered) {
      // th | td pairs; a cell spanning n columns takes 2n − 1 cells.
      body.push(
        h(
          'tr',
          row.flatMap((c) => [
            h('th', { class: 'plain-desc__label', scope: 'row', style: props.labelStyle }, c.item.label),
            h('td', { class: 'plain-desc__content', colspan: c.columns * 2 - 1 }, [content(c)]),
          ]),
        ),
      )
    } else if (left) {
      // Borderless: the label leads its content in the same cell.
      body.push(
        h(
          'tr',
          row.map((c) =>
            h('td', { class: 'plain-desc__content', colspan: c.columns }, [
              h('span', { class: 'plain-desc__label', style: props.labelStyle }, c.item.label),
              h('span', { class: 'plain-desc__value' }, [content(c)]),
            ]),
          ),
        ),
      )
    } else {
      body.push(h('tr', row.map((c) => h('th', { class: 'plain-desc__label', scope: 'col', colspan: c.columns, style: props.labelStyle }, c.item.label))))
      body.push(h('tr', row.map((c) => h('td', { class: 'plain-desc__content', colspan: c.columns }, [content(c)]))))
    }
  }
  return h(
    'div',
    {
      class: [
        'plain-desc',
        left ? 'plain-desc--left' : 'plain-desc--top',
        bordered ? 'plain-desc--bordered' : null,
        `plain-desc--${props.size ?? 'small'}`,
      ],
    },
    [h('table', { class: 'plain-desc__table' }, [h('tbody', body)])],
  )
}
PlainDescriptions.props = {
  column: Number,
  labelPlacement: String as PropType<'left' | 'top'>,
  bordered: Boolean,
  size: String as PropType<'small' | 'medium'>,
  labelStyle: [String, Object] as PropType<string | Record<string, string>>,
}

export default PlainDescriptions

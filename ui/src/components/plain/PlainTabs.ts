// Tabs in the look of Naive UI's line and segment NTabs, with the same
// template shape: `<PlainTabs v-model:value>` around `<PlainTabPane name
// tab :tab-props display-directive>`. A pane's content is drawn by the tabs
// themselves (the pane is only a marker), so there is one component for the
// whole set; NTabs measured its tabs on every draw to place its bar and was
// a component tree per pane. Panes are drawn as NTabs draws them: `if` (the
// default) only while shown, `show:lazy` from their first showing on, kept
// hidden after, `show` always. The tab list follows the ARIA tabs pattern
// (roles, selection, arrow keys, Home and End).
import { defineComponent, h, type PropType, type Slot } from 'vue'
import { markersOf } from './markers'

export type TabDisplay = 'if' | 'show' | 'show:lazy'

/** A tab: its name, title, extra attributes of its tab, and how its pane is drawn. */
export const PlainTabPane = defineComponent({
  name: 'PlainTabPane',
  props: {
    name: { type: String, required: true },
    tab: String,
    tabProps: Object as PropType<Record<string, unknown>>,
    displayDirective: String as PropType<TabDisplay>,
  },
  // Drawn only by PlainTabs; on its own it draws its content.
  setup: (_, { slots }) => () => slots.default?.(),
})

interface Pane {
  name: string
  tab: string
  tabProps: Record<string, unknown>
  display: TabDisplay
  content: Slot | undefined
}

/** The panes in a slot (props as written in a template, kebab or camel). */
function panesOf(slot: Slot | undefined): Pane[] {
  return markersOf(slot, PlainTabPane).map(({ props: p, content }) => ({
    name: String(p.name),
    tab: String(p.tab ?? p.name),
    tabProps: ((p['tab-props'] ?? p.tabProps) as Record<string, unknown> | undefined) ?? {},
    display: ((p['display-directive'] ?? p.displayDirective) as TabDisplay | undefined) ?? 'if',
    content,
  }))
}

/** The tab a key moves to from `index` of `count` (null: not a moving key). */
export function tabAfterKey(key: string, index: number, count: number): number | null {
  if (key === 'ArrowRight') return (index + 1) % count
  if (key === 'ArrowLeft') return (index - 1 + count) % count
  if (key === 'Home') return 0
  if (key === 'End') return count - 1
  return null
}

let nextId = 0

export const PlainTabs = defineComponent({
  name: 'PlainTabs',
  props: {
    value: String,
    type: { type: String as PropType<'line' | 'segment'>, default: 'line' },
    size: { type: String as PropType<'small' | 'medium'>, default: 'medium' },
  },
  emits: { 'update:value': (_: string) => true },
  setup(props, { slots, emit }) {
    const id = `plain-tabs-${++nextId}`
    /** Panes drawn once (`show:lazy` keeps them). */
    const shown = new Set<string>()
    const select = (name: string, current: string) => {
      if (name !== current) emit('update:value', name)
    }
    return () => {
      const panes = panesOf(slots.default)
      const current = panes.some((p) => p.name === props.value) ? props.value! : (panes[0]?.name ?? '')
      shown.add(current)
      const onKeydown = (e: KeyboardEvent) => {
        const i = panes.findIndex((p) => p.name === current)
        const to = tabAfterKey(e.key, i, panes.length)
        if (to === null || i < 0) return
        e.preventDefault()
        select(panes[to]!.name, current)
        const list = (e.currentTarget as HTMLElement | null)?.closest('[role="tablist"]')
        ;(list?.querySelectorAll<HTMLElement>('[role="tab"]')[to])?.focus()
      }
      return h('div', { class: ['plain-tabs', `plain-tabs--${props.type}`, `plain-tabs--${props.size}`] }, [
        h(
          'div',
          { class: 'plain-tabs__nav', role: 'tablist' },
          panes.map((p) => {
            const active = p.name === current
            return h(
              'button',
              {
                key: p.name,
                type: 'button',
                id: `${id}-tab-${p.name}`,
                class: ['plain-tabs__tab', active ? 'plain-tabs__tab--active' : null],
                role: 'tab',
                'aria-selected': active ? 'true' : 'false',
                'aria-controls': `${id}-pane-${p.name}`,
                tabindex: active ? 0 : -1,
                ...p.tabProps,
                onClick: () => select(p.name, current),
                onKeydown,
              },
              p.tab,
            )
          }),
        ),
        ...panes.map((p) => {
          const active = p.name === current
          const draw = active || p.display === 'show' || (p.display === 'show:lazy' && shown.has(p.name))
          return h(
            'div',
            {
              key: p.name,
              id: `${id}-pane-${p.name}`,
              class: 'plain-tabs__pane',
              role: 'tabpanel',
              'aria-labelledby': `${id}-tab-${p.name}`,
              hidden: !active,
            },
            draw ? p.content?.() : undefined,
          )
        }),
      ])
    }
  },
})

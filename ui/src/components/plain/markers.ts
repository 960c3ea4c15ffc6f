// The plain components that take marker children (`PlainTabs` with
// `PlainTabPane`, `PlainDescriptions` with `PlainDescriptionsItem`,
// `PlainRadioGroup` with `PlainRadioButton`) draw those children themselves:
// this finds them in a slot (fragments from v-for opened, v-if's comments
// skipped) and reads what was written on each.
import type { Component, Slot, VNode, VNodeArrayChildren } from 'vue'
import { flattenItems } from '../Flex'

/** A marker child: its props as written in the template, and its content. */
export interface Marker {
  props: Record<string, unknown>
  content: Slot | undefined
}

/** The children of `slot` that are `marker`, in order. */
export function markersOf(slot: Slot | undefined, marker: Component): Marker[] {
  return flattenItems((slot?.() ?? []) as VNodeArrayChildren)
    .filter((n: VNode) => n.type === marker)
    .map((n) => ({
      props: (n.props ?? {}) as Record<string, unknown>,
      content: (n.children as { default?: Slot } | null)?.default,
    }))
}

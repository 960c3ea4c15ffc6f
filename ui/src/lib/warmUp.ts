// The first visit of a screen used to cost two to three times a later one:
// its code had to be fetched and compiled, and Naive UI injects a
// component's styles (and the engine compiles its render code) the first time
// any screen draws one. While the operator reads the first screen, this does
// that work once, in small steps that yield to the page between them: it
// loads every screen's code, compiles the language's messages, then draws
// one of each Naive UI component (and each variant) the
// screens use into an element that is never attached to the document (so no
// test, screen reader or layout sees it), and unmounts it. Styles stay
// injected (Naive UI never removes them), so the first real visit only draws.
//
// A step never runs while a navigation or an operation is in progress, so the
// warm-up cannot slow what the operator asked for; a step that fails (a chunk
// that did not load) is skipped.

import { createApp, defineComponent, h, type Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'
import {
  NButton,
  NCollapse,
  NCollapseItem,
  NConfigProvider,
  NDatePicker,
  NDrawer,
  NForm,
  NFormItem,
  NIcon,
  NInput,
  NModal,
  NRadio,
  NRadioGroup,
  NSelect,
  NStep,
  NSteps,
  NSwitch,
  NTable,
  NTag,
  NTooltip,
  darkTheme,
} from 'naive-ui'
import { INLINE_THEME_DISABLED, THEME_OVERRIDES } from './theme'

/** What a warm-up step needs from the page (injectable for tests). */
export interface WarmUpEnv {
  /** Runs `cb` later, once the page is free (a macrotask). */
  later: (cb: () => void) => void
  /** True while a navigation or an operation is in progress. */
  busy: () => boolean
}

/** One of each component the screens draw, in groups small enough for one step each. */
export const WARM_GROUPS: Array<() => ReturnType<typeof h>> = [
  () => h(NIcon, null, () => h('svg')),
  () =>
    h(NForm, { labelPlacement: 'top' }, () => [
      h(NFormItem, { label: 'a' }, () => h(NInput, { value: '', placeholder: 'a' })),
      h(NFormItem, { label: 'c' }, () => h(NSelect, { value: 'a', options: [{ label: 'a', value: 'a' }] })),
    ]),
  () =>
    h('div', null, [
      h(NRadioGroup, { value: 'a' }, () => [h(NRadio, { value: 'a', label: 'a' })]),
      h(NSwitch, { value: true }),
      h(NTooltip, null, { trigger: () => h('span', 'a'), default: () => 'b' }),
    ]),
  // With theme classes (INLINE_THEME_DISABLED), each size, type and layout
  // of a component has a style sheet of its own, injected the first time a
  // screen draws it (and the whole page restyled then): the variants the
  // screens use, so that no first visit injects one.
  () =>
    h('div', null, [
      ...(['default', 'primary', 'error', 'warning'] as const).flatMap((type) =>
        (['tiny', 'small', 'medium'] as const).flatMap((size) => [
          h(NButton, { type, size }, () => 'a'),
          h(NButton, { type, size, secondary: true }, () => 'a'),
          h(NButton, { type, size, text: true }, () => 'a'),
        ]),
      ),
      h(NButton, { quaternary: true, circle: true, size: 'small' }, () => 'a'),
      h(NButton, { tertiary: true, size: 'small' }, () => 'a'),
      ...(['default', 'success', 'info', 'warning', 'error'] as const).flatMap((type) =>
        (['small', 'medium'] as const).flatMap((size) => [h(NTag, { type, size }, () => 'a'), h(NTag, { type, size, bordered: false }, () => 'a')]),
      ),
    ]),
  () =>
    h('div', null, [
      h(NModal, { show: false }),
      h(NDrawer, { show: false }),
      h(NDatePicker, { type: 'datetimerange', value: null, clearable: true }),
    ]),
  () =>
    h('div', null, [
      h(NTable, { size: 'small' }, () => h('tbody', h('tr', h('td', 'a')))),
      h(NCollapse, null, () => h(NCollapseItem, { title: 'a', name: 'a' }, () => 'b')),
      h(NSteps, { current: 1 }, () => [h(NStep, { title: 'a' }), h(NStep, { title: 'b' })]),
    ]),
]

/** Whether the app shows its dark theme now (App.vue marks its config root). */
function darkNow(): boolean {
  return typeof document !== 'undefined' && document.querySelector('.config-root')?.getAttribute('data-theme') === 'dark'
}

/**
 * Draws `draw` once into a detached element and takes it down again, inside
 * a config provider with the app's theme (so Naive UI generates the same
 * theme classes the screens will use).
 */
export function drawDetached(draw: () => ReturnType<typeof h>): void {
  const host = document.createElement('div')
  const dark = darkNow()
  const app = createApp(
    defineComponent({
      render: () =>
        h(
          NConfigProvider,
          { theme: dark ? darkTheme : null, themeOverrides: THEME_OVERRIDES, inlineThemeDisabled: INLINE_THEME_DISABLED },
          { default: draw },
        ),
    }),
  )
  app.config.warnHandler = () => {}
  try {
    app.mount(host)
  } finally {
    app.unmount()
  }
}

/** Every message key of a language's messages (dotted paths to the strings). */
export function messageKeys(messages: unknown, prefix = ''): string[] {
  if (messages === null || typeof messages !== 'object' || Array.isArray(messages)) return []
  return Object.entries(messages as Record<string, unknown>).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : messageKeys(v, `${prefix}${k}.`),
  )
}

/**
 * Steps that translate every message once, `size` keys a step: vue-i18n
 * compiles a message the first time it is shown (and keeps the result), so a
 * first visit paid for compiling every message on its screen.
 */
export function messageSteps(translate: (key: string) => unknown, keys: readonly string[], size = 150): Array<() => void> {
  const steps: Array<() => void> = []
  for (let i = 0; i < keys.length; i += size) {
    const part = keys.slice(i, i + size)
    steps.push(() => {
      for (const k of part) translate(k)
    })
  }
  return steps
}

/** The route components that load on demand (`() => import(...)`). */
export function lazyScreens(routes: readonly RouteRecordRaw[]): Array<() => Promise<unknown>> {
  return routes.flatMap((r) =>
    typeof r.component === 'function' ? [r.component as unknown as () => Promise<Component>] : [],
  )
}

/**
 * Runs each step (load a lazy screen, draw a warm group), one per free
 * macrotask. Resolves with how many succeeded. A step that fails is skipped:
 * the warm-up is never needed for correctness, and the operator's own visit
 * of that screen loads it again.
 */
export async function warmUp(
  steps: Array<() => unknown>,
  env: WarmUpEnv,
): Promise<number> {
  let done = 0
  for (const step of steps) {
    await new Promise<void>((resolve) => {
      const tryNow = () => (env.busy() ? env.later(tryNow) : resolve())
      env.later(tryNow)
    })
    try {
      await step()
      done += 1
    } catch {
      // skipped (see above)
    }
  }
  return done
}

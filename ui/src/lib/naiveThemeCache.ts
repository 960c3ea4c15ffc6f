// Naive UI works out each component's theme in every instance: a deep merge
// of the common variables (about a hundred colours and sizes), the
// component's own variables derived from them (colour arithmetic), and the
// peers'. Every NButton, NSelect or NTag on a screen repeats the same
// merges with the same inputs; under the desktop window's interpreter (no
// JIT) that was a visible part of each screen switch.
//
// The result depends only on the component kind (its default theme and id)
// and on the config provider's theme and overrides, unless the instance is
// given its own `theme`, `themeOverrides` or `builtinThemeOverrides`. So
// instances without their own share one result per (kind, theme,
// overrides), and any instance with its own is worked out as before.
// `build/naiveThemeCache.ts` routes Naive UI's `useTheme` through here at
// build time.

/** The parts of Naive UI's config provider that a theme depends on. */
export interface ThemeProvider {
  mergedThemeRef: { value: unknown }
  mergedThemeOverridesRef: { value: unknown }
}

/** The theme props of one component instance. */
export interface InstanceThemeProps {
  theme?: unknown
  themeOverrides?: unknown
  builtinThemeOverrides?: unknown
}

/** Stands for "no provider theme / no overrides" as a cache key. */
const NONE = {}

type ByOverrides = WeakMap<object, Map<string, unknown>>
const cache = new WeakMap<object, WeakMap<object, ByOverrides>>()

const asKey = (v: unknown): object => (v !== null && typeof v === 'object' ? v : NONE)

/**
 * The instance's merged theme: `compute()` for an instance with its own
 * theme props, else the one result shared by every instance of this kind
 * under the same provider theme and overrides. Reads the same reactive
 * inputs as `compute()` would, so a theme switch still recomputes.
 */
export function sharedTheme<T>(
  resolveId: string,
  defaultTheme: object,
  props: InstanceThemeProps,
  provider: ThemeProvider | null | undefined,
  compute: () => T,
): T {
  if (props.theme !== undefined || props.themeOverrides !== undefined || props.builtinThemeOverrides !== undefined) return compute()
  const theme = asKey(provider?.mergedThemeRef.value)
  const overrides = asKey(provider?.mergedThemeOverridesRef.value)
  let byTheme = cache.get(defaultTheme)
  if (!byTheme) cache.set(defaultTheme, (byTheme = new WeakMap()))
  let byOverrides = byTheme.get(theme)
  if (!byOverrides) byTheme.set(theme, (byOverrides = new WeakMap()))
  let byId = byOverrides.get(overrides)
  if (!byId) byOverrides.set(overrides, (byId = new Map()))
  if (byId.has(resolveId)) return byId.get(resolveId) as T
  const merged = compute()
  byId.set(resolveId, merged)
  return merged
}

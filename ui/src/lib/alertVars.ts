// The colours of PlainAlert, as CSS variables: NAlert's own, computed by
// Naive UI's alert theme from the common theme variables (with the app's
// overrides), so a plain notice and a Naive one look the same in either
// theme. The shell sets them on the document root with its other variables.

const ALERT_TYPES = ['default', 'info', 'success', 'warning', 'error'] as const

/** The colour of a CSS border shorthand ("1px solid rgba(…)" → "rgba(…)"). */
function borderColor(border: string | undefined): string {
  return (border ?? '').replace(/^\s*\S+\s+\S+\s+/, '')
}

/** `--wx-alert-<type>-{bg,border,icon}` from the alert theme's variables (`self`). */
export function alertVars(self: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const type of ALERT_TYPES) {
    const suffix = type === 'default' ? '' : type[0]!.toUpperCase() + type.slice(1)
    out[`--wx-alert-${type}-bg`] = self[`color${suffix}`] ?? ''
    out[`--wx-alert-${type}-border`] = borderColor(self[`border${suffix}`])
    out[`--wx-alert-${type}-icon`] = self[`iconColor${suffix}`] ?? ''
  }
  return out
}

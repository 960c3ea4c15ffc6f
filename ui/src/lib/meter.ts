// The paid phone-number meter as the screens show it: yuan amounts, the
// share of a trial used, the warning level, and the figures of the component
// a mini program is set to use. The numbers themselves come from the core's
// `meter` op; this only shapes them for display.

import type { MeterAppView, MeterComponentView, MeterView, PhoneComponent } from '../api/types'

/** A yuan amount as `¥0.09` (two decimals, more when a price has them). */
export function formatYuan(v: number): string {
  if (!Number.isFinite(v)) return '¥0.00'
  const cents = Math.round(v * 100) / 100
  const digits = Math.abs(v - cents) > 1e-9 ? 4 : 2
  return `¥${v.toFixed(digits).replace(/(\.\d\d\d*?)0+$/, '$1')}`
}

/** Percent of the trial used, 0–100, rounded down (99.9 % is not "100 %"). */
export function trialPercent(c: Pick<MeterComponentView, 'trial_used'>, trialCalls: number): number {
  if (trialCalls <= 0) return 100
  return Math.min(100, Math.max(0, Math.floor((c.trial_used * 100) / trialCalls)))
}

/** `error` once the trial is used up, `warning` from the warning threshold, else `success`. */
export function trialLevel(
  c: Pick<MeterComponentView, 'trial_used' | 'trial_left'>,
  trialCalls: number,
  warnAtPercent: number,
): 'success' | 'warning' | 'error' {
  if (c.trial_left <= 0 && trialCalls > 0) return 'error'
  if (c.trial_used * 100 >= trialCalls * warnAtPercent) return 'warning'
  return 'success'
}

/** The figures of the component the app is set to use. */
export function inUse(app: MeterAppView): MeterComponentView | undefined {
  return app.components.find((c) => c.component === app.component)
}

/** The meter's row for `appid`, if it has one. */
export function appOf(view: MeterView | null | undefined, appid: string): MeterAppView | undefined {
  return view?.apps.find((a) => a.appid === appid)
}

/** Components whose trial needs a warning, in display order. */
export function warnedComponents(app: MeterAppView): PhoneComponent[] {
  return app.components.filter((c) => c.trial_warning).map((c) => c.component)
}

/** Parses a price typed by the operator: a number of yuan from 0 to 10, else null. */
export function parsePrice(raw: string | number | null | undefined): number | null {
  if (raw === null || raw === undefined) return null
  const s = String(raw).trim().replace(/^¥/, '')
  if (!/^\d+(\.\d+)?$/.test(s)) return null
  const v = Number(s)
  return v >= 0 && v <= 10 ? v : null
}

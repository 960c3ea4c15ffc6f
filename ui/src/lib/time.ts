// Time arithmetic for countdowns, ages and timestamps. Kept free of Vue so
// the formatting rules are unit-tested on their own.

/** component_verify_ticket lifetime: WeChat stops accepting it after 12 h. */
export const TICKET_TTL_SECS = 12 * 3600

/** Below this many seconds a token countdown turns to a warning colour. */
export const WARN_BELOW_SECS = 5 * 60

/** Seconds left until `deadlineMs` at `nowMs`, rounded up, never negative. */
export function secondsLeft(deadlineMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000))
}

/** The deadline (ms) of something valid `expiresIn` seconds from `receivedAtMs`. */
export function deadlineFrom(expiresIn: number, receivedAtMs: number = Date.now()): number {
  return receivedAtMs + Math.max(0, expiresIn) * 1000
}

const pad2 = (n: number): string => String(n).padStart(2, '0')

/**
 * A countdown as a clock: `M:SS` under an hour, `H:MM:SS` from an hour on
 * (hours keep counting past 24). Negative input shows `0:00`.
 */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  return h > 0 ? `${h}:${pad2(m)}:${pad2(sec)}` : `${m}:${pad2(sec)}`
}

/** How urgent a countdown is. */
export type CountdownLevel = 'ok' | 'warn' | 'expired'

export function countdownLevel(seconds: number, warnBelow: number = WARN_BELOW_SECS): CountdownLevel {
  if (seconds <= 0) return 'expired'
  return seconds < warnBelow ? 'warn' : 'ok'
}

/** A duration split for human text (`3 h 12 min`). */
export interface DurationParts {
  key: 'time.daysHours' | 'time.hoursMinutes' | 'time.minutesSeconds' | 'time.seconds'
  params: Record<string, number>
}

/** The two most significant units of a duration, as an i18n key with parameters. */
export function durationParts(seconds: number): DurationParts {
  const s = Math.max(0, Math.floor(seconds))
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0) return { key: 'time.daysHours', params: { d, h } }
  if (h > 0) return { key: 'time.hoursMinutes', params: { h, m } }
  if (m > 0) return { key: 'time.minutesSeconds', params: { m, s: s % 60 } }
  return { key: 'time.seconds', params: { s } }
}

/** Share of the 12 h ticket lifetime used, 0–100. */
export function ticketAgePercent(ageSecs: number): number {
  return Math.min(100, Math.max(0, Math.round((ageSecs / TICKET_TTL_SECS) * 100)))
}

/** Unix seconds as local date and time in the UI language (see `formatMs`). */
export function formatUnix(unixSecs: number | null | undefined, locale: string, opts: { seconds?: boolean } = {}): string {
  if (unixSecs === null || unixSecs === undefined) return ''
  return formatMs(unixSecs * 1000, locale, opts)
}

/**
 * Unix milliseconds as local date and time, unambiguous in the UI language:
 * `2026-12-05 14:03` in English, `2026年12月5日 14:03` in Chinese (with
 * `:SS` when `seconds`). The one date formatter of the UI.
 */
export function formatMs(ms: number, locale: string, opts: { seconds?: boolean } = {}): string {
  const d = new Date(ms)
  if (Number.isNaN(d.getTime())) return ''
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}${opts.seconds ? `:${pad2(d.getSeconds())}` : ''}`
  const [y, m, day] = [d.getFullYear(), d.getMonth() + 1, d.getDate()]
  return locale === 'zh-CN' ? `${y}年${m}月${day}日 ${time}` : `${y}-${pad2(m)}-${pad2(day)} ${time}`
}

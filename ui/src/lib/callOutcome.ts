// The outcome tag of one call-log row. A waiting state (fast registration's
// 89251 "waiting for the legal person", 89252 "check in progress") carries a
// non-zero errcode but is not a failure: the core marks it `waiting` (its
// classification lives in the errcode catalogue) and it gets a neutral tag.

import type { CallLogView } from '../api/types'
import { tagClasses } from '../components/plain/PlainTag'

export type OutcomeType = 'success' | 'error' | 'warning' | 'default'

export interface Outcome {
  type: OutcomeType
  text: string
}

type Row = Pick<CallLogView, 'errcode' | 'failed' | 'waiting' | 'error_kind' | 'http_status'>

/** The tag of a row; `t` translates the `calls.*` words. */
export function callOutcome(r: Row, t: (key: string, named?: Record<string, unknown>) => string): Outcome {
  if (r.waiting) return { type: 'default', text: t('calls.waiting', { code: r.errcode ?? '' }) }
  if (r.errcode !== null && r.errcode !== 0) return { type: 'error', text: String(r.errcode) }
  if (r.failed) return { type: 'error', text: r.error_kind ?? t('calls.failed') }
  if (r.http_status !== null && r.http_status >= 400) return { type: 'warning', text: `HTTP ${r.http_status}` }
  return { type: 'success', text: t('calls.ok') }
}

/**
 * The classes of a small tag of this type (PlainTag's), for a table cell that
 * draws its outcome as a plain span rather than a component per row.
 */
export function pillClass(type: OutcomeType): string {
  return tagClasses({ type, size: 'small' }).join(' ')
}

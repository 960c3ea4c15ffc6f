// A platform's `receive` base URL (where `wxdesk receive` answers): the
// form's check, mirroring the core's (which stays the authority), and what
// the edit form sends — only a change, with "" to remove the URL.

import type { Issue } from './validators'

/** Empty, or an absolute http(s) base URL with a host and no ?query / #fragment / user@. */
export function validateOptionalReceiveUrl(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return null
  let u: URL
  try {
    u = new URL(v)
  } catch {
    return { key: 'validation.receiveUrl' }
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || !u.hostname) return { key: 'validation.receiveUrl' }
  if (u.search || u.hash || u.username || v.includes('?') || v.includes('#')) return { key: 'validation.receiveUrl' }
  return null
}

/** The `receive_url` change of an edit: `null` (unchanged), `""` (remove) or the new URL. */
export function receiveUrlChange(typed: string, stored: string | null | undefined): string | null {
  const v = typed.trim().replace(/\/+$/, '')
  const was = stored ?? ''
  return v === was ? null : v
}

// Which saved login a tester selects. A new login is what the operator is
// working with, so whenever the newest login changes it becomes the
// selection (keeping an older one gave a misleading "padding invalid" in
// Decrypt data); otherwise the operator's choice stays while it exists.

import type { SessionView } from '../api/types'

/** The most recent login (null for none). */
export function newestSession(sessions: readonly SessionView[]): SessionView | null {
  let best: SessionView | null = null
  for (const s of sessions) if (!best || s.created_at > best.created_at) best = s
  return best
}

/** Identifies one login: the same openid logging in again is a new login. */
export function sessionStamp(s: SessionView | null): string | null {
  return s ? `${s.openid}@${s.created_at}` : null
}

/**
 * The openid to select after the list changed: the newest login when it is
 * new since `prevNewest` (a stamp), else `current` while it is still listed,
 * else the newest.
 */
export function sessionToSelect(sessions: readonly SessionView[], current: string | null, prevNewest: string | null): string | null {
  const newest = newestSession(sessions)
  if (!newest) return null
  if (sessionStamp(newest) !== prevNewest) return newest.openid
  if (current !== null && sessions.some((s) => s.openid === current)) return current
  return newest.openid
}

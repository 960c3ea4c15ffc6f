// The selected login of a tester panel (Check session, Decrypt data),
// following the rule of lib/sessions.ts: a new login is selected as soon
// as the list shows it.

import { ref, watch, type Ref } from 'vue'
import type { SessionView } from '../api/types'
import { newestSession, sessionStamp, sessionToSelect } from '../lib/sessions'

export function useSessionChoice(sessions: () => SessionView[], onAutoSelect?: () => void): Ref<string | null> {
  const openid = ref<string | null>(null)
  let seen: string | null = null
  watch(
    sessions,
    (s) => {
      const next = sessionToSelect(s, openid.value, seen)
      seen = sessionStamp(newestSession(s))
      if (next !== openid.value) {
        openid.value = next
        onAutoSelect?.()
      }
    },
    { immediate: true },
  )
  return openid
}

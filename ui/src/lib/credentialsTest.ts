// What the "Test these credentials" button of the add dialogs shows. The core
// makes one harmless call (stable_token without force_refresh for a mini
// program; api_component_token with a stored ticket for a platform) and
// stores nothing; a rejection arrives as an ordinary error with the
// catalogue's fix (shown by ErrorAlert).

import type { CredentialsTestView } from '../api/types'

export type CredentialsKind = 'app' | 'component'

export interface CredentialsResult {
  type: 'success' | 'info'
  /** i18n key of the title. */
  title: string
  /** i18n key of the body. */
  body: string
}

/** The alert for a test's answer. */
export function credentialsResult(kind: CredentialsKind, v: CredentialsTestView): CredentialsResult {
  if (v.outcome === 'needs_ticket') {
    return { type: 'info', title: 'credentialsTest.needsTicketTitle', body: 'credentialsTest.needsTicket' }
  }
  if (v.outcome === 'in_use') {
    return { type: 'info', title: 'credentialsTest.inUseTitle', body: 'credentialsTest.inUse' }
  }
  return {
    type: 'success',
    title: 'credentialsTest.okTitle',
    body: kind === 'app' ? 'credentialsTest.okApp' : 'credentialsTest.okComponent',
  }
}

/** Whether the two fields are filled enough to test (the core checks them properly). */
export function canTest(appid: string, secret: string): boolean {
  return appid.trim() !== '' && secret.trim() !== ''
}

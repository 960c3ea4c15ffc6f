// The core writes its messages in English (the CLI prints them). In the
// zh-CN UI a message the UI can say itself is said in Chinese: a validation
// error names the form's label, WeChat's error gives its errcode (the
// catalogue's Chinese meaning and fix follow), a missing or duplicate record
// and a confirmation are translated; anything else keeps only the translated
// title and fix. In English the internal field name is replaced by the
// form's label too. Kept free of Vue so it is unit-tested on its own.

import { fieldLabelKey, splitFieldMessage } from './fieldLabels'

/** What translating needs. */
export interface Tr {
  t: (key: string, params?: Record<string, unknown>) => string
  te: (key: string) => boolean
}

/** The part of an error the message depends on. */
export interface ErrorParts {
  code: string
  message: string
  errcode?: number
}

/** Codes whose message is "<field>: <reason>". */
const FIELD_CODES = new Set(['invalid_input', 'invalid_base64', 'invalid_length'])

function labelOf(field: string, tr: Tr): string {
  const key = fieldLabelKey(field)
  return key && tr.te(key) ? tr.t(key) : field
}

/** WeChat's own errmsg out of the core's "WeChat error 40013: invalid appid (rid …)". */
export function wechatErrmsg(message: string): string | null {
  const m = /^WeChat error -?\d+: (.*?)(?: \(rid [^)]*\))?$/s.exec(message)
  return m ? m[1]!.trim() || null : null
}

/** The message of an error in the UI language (empty: nothing beyond the title and the fix). */
export function errorMessage(err: ErrorParts, locale: string, tr: Tr): string {
  const zh = locale === 'zh-CN'
  if (FIELD_CODES.has(err.code)) {
    const split = splitFieldMessage(err.message)
    if (split) {
      const label = labelOf(split.field, tr)
      return zh ? tr.t('errors.invalidField', { label }) : `${label}: ${split.reason}`
    }
    // "session_key is not valid base64: …" names its field first too.
    const first = /^([a-z][a-z0-9_]*) (is|must) /.exec(err.message)
    if (first) {
      const label = labelOf(first[1]!, tr)
      return zh ? tr.t('errors.invalidField', { label }) : err.message.replace(first[1]!, label)
    }
  }
  if (!zh) return err.message
  if (err.errcode !== undefined) return tr.t('errors.wechatMessage', { errcode: err.errcode })
  const key = `errors.messages.${err.code}`
  return tr.te(key) ? tr.t(key) : ''
}

/** The text of a confirmation the core asked for: its own in English, the UI's in zh-CN. */
export function confirmationMessage(message: string, locale: string, tr: Tr): string {
  if (locale !== 'zh-CN') return message
  const appid = /\b(wx[0-9a-f]{16})\b/.exec(message)?.[1] ?? ''
  const known: [RegExp, string][] = [
    [/^remove app /, 'confirm.removeApp'],
    [/^remove component /, 'confirm.removeComponent'],
    [/^cgi-bin\/token \(legacy mode\)/, 'token.risk.legacy'],
    [/^mint a new access token for \S+ with cgi-bin\/token/, 'token.risk.legacy'],
    [/^force-refresh the access token of/, 'token.risk.force'],
    [/^force a new component_access_token/, 'token.risk.forceComponent'],
    [/^force a new authorizer_access_token/, 'token.risk.forceAuthorizer'],
    [/^force refresh of the component_access_token/, 'token.risk.forceComponent'],
    [/^force refresh of the authorizer_access_token/, 'token.risk.forceAuthorizer'],
    [/^force refresh needs/, 'token.risk.force'],
    [/^force-refresh the tokens of all/, 'confirm.refreshAll'],
    [/^clear_quota\/v2 for /, 'quota.clearBySecretRisk'],
    [/^clear_quota for /, 'quota.clearRisk'],
  ]
  for (const [re, key] of known) if (re.test(message)) return tr.t(key, { appid })
  return tr.t('confirm.generic')
}

// Client-side checks of what operators type, field by field, so a typo is
// caught before anything is sent (and before a rate-limited code is spent).
// They mirror the core's rules; the core checks again and stays the
// authority. Each validator returns `null` when the value is fine, or an
// `Issue` naming an i18n key (under `validation.`) and its parameters.

export interface Issue {
  key: string
  params?: Record<string, string | number>
}

const issue = (key: string, params?: Record<string, string | number>): Issue =>
  params ? { key: `validation.${key}`, params } : { key: `validation.${key}` }

const HEX = /^[0-9a-fA-F]+$/

/** A mini program / Official Account / platform AppID: `wx` + 16 hex digits. */
export function validateAppid(value: string): Issue | null {
  const v = value ?? ''
  if (v === '') return issue('required')
  if (v.trim() !== v) return issue('appidSpaces')
  if (v.startsWith('gh_')) return issue('appidOriginalId')
  if (v.length === 32 && HEX.test(v)) return issue('appidLooksLikeSecret')
  const bad = badAppidChar(v)
  if (bad) return issue('appidBadChar', bad)
  if (v.length !== 18) return issue('appidFormat', { length: v.length })
  return null
}

/**
 * The first character that cannot be in an AppID at its place (`wx`, then
 * lowercase hex), as a 1-based position and the character shown visibly
 * (a space as ␣). Null when every character fits.
 */
export function badAppidChar(v: string): { position: number; char: string } | null {
  const chars = Array.from(v)
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    const ok = i < 2 ? c === 'wx'[i] : /^[0-9a-fA-F]$/.test(c)
    if (!ok && i < 18) return { position: i + 1, char: showChar(c) }
  }
  return null
}

/** A character as it can be seen in a message: whitespace by name-like symbols. */
function showChar(c: string): string {
  if (c === ' ') return '␣'
  if (c === '\t') return '⇥'
  if (c === '\u3000') return '␣(全角)'
  return c
}

/** An optional AppID: empty is fine. */
export function validateOptionalAppid(value: string): Issue | null {
  return (value ?? '').trim() === '' ? null : validateAppid(value)
}

/** An AppSecret: exactly 32 lowercase hex characters. */
export function validateAppSecret(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return issue('required')
  if (v.length === 18 && v.startsWith('wx')) return issue('secretLooksLikeAppid')
  if (v.length !== 32 || !HEX.test(v)) return issue('secretFormat', { length: v.length })
  if (v !== v.toLowerCase()) return issue('secretUppercase')
  return null
}

/** The platform's message token (消息校验Token): 3–32 letters or digits. */
export function validateMessageToken(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return issue('required')
  if (v.length < 3 || v.length > 32) return issue('messageTokenLength', { length: v.length })
  if (!/^[A-Za-z0-9]+$/.test(v)) return issue('messageTokenChars')
  return null
}

/** The EncodingAESKey (消息加解密Key): 43 base64 characters, no padding. */
export function validateAesKey(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return issue('required')
  if (v.length !== 43) return issue('aesKeyLength', { length: v.length })
  if (!/^[A-Za-z0-9+/]+$/.test(v)) return issue('aesKeyChars')
  return null
}

/** A redirect URI: an absolute http(s) URL with a host. */
export function validateRedirectUri(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return issue('required')
  let u: URL
  try {
    u = new URL(v)
  } catch {
    return issue('urlAbsolute')
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return issue('urlScheme')
  if (u.hostname === '') return issue('urlHost')
  return null
}

/** A base address of WeChat's servers (custom environment, sandbox): an absolute http(s) URL. */
export function validateBaseUrl(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return issue('required')
  const r = validateRedirectUri(v)
  return r && r.key === 'validation.urlAbsolute' ? issue('baseUrlAbsolute') : r
}

/** An optional redirect URI (the platform's stored one is used when empty). */
export function validateOptionalRedirectUri(value: string): Issue | null {
  return (value ?? '').trim() === '' ? null : validateRedirectUri(value)
}

/** Enterprise code types of fast registration. */
export type CodeType = 1 | 2 | 3

/** What each code type expects, for hints next to the field. */
export const CODE_TYPE_LENGTH: Record<CodeType, string> = {
  1: '18',
  2: '9',
  3: '15',
}

/**
 * The enterprise code for its `code_type`: 1 unified social credit code (18
 * letters or digits), 2 organization code (9 letters or digits, or
 * `xxxxxxxx-x`), 3 business licence registration number (15 digits).
 */
export function validateEnterpriseCode(value: string, codeType: number | null): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return issue('required')
  const alnum = /^[A-Za-z0-9]+$/
  switch (codeType) {
    case 1:
      return v.length === 18 && alnum.test(v) ? null : issue('codeType1', { length: v.length })
    case 2:
      return (v.length === 9 && alnum.test(v)) || (v.length === 10 && /^[A-Za-z0-9]{8}-[A-Za-z0-9]$/.test(v))
        ? null
        : issue('codeType2', { length: v.length })
    case 3:
      return v.length === 15 && /^[0-9]+$/.test(v) ? null : issue('codeType3', { length: v.length })
    default:
      return issue('codeTypeMissing')
  }
}

/** A trial mini program's name: 4–30 characters. */
export function validateBetaName(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return issue('required')
  const n = [...v].length
  if (n < 4 || n > 30) return issue('betaNameLength', { length: n })
  return null
}

/** A non-empty single-line value (names, codes, openids). */
export function validateRequiredLine(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return issue('required')
  if (/[\r\n\t]/.test(v)) return issue('singleLine')
  return null
}

/** An openid: one token without spaces. */
export function validateOpenid(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return issue('required')
  if (/\s/.test(v)) return issue('noSpaces')
  return null
}

/** A WeChat ID (微信号), not a phone number or QQ number. */
export function validateWechatId(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return issue('required')
  if (/\s/.test(v)) return issue('noSpaces')
  if (/^\+?[0-9]+$/.test(v)) return issue('wechatIdDigits')
  return null
}

/** An optional contact phone number. */
export function validateOptionalPhone(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return null
  return /^\+?[0-9][0-9 -]{4,19}$/.test(v) ? null : issue('phoneFormat')
}

/** A display name: at most 64 characters, one line. */
export function validateDisplayName(value: string): Issue | null {
  const v = (value ?? '').trim()
  if ([...v].length > 64) return issue('nameLength', { length: [...v].length })
  if (/[\r\n\t]/.test(v)) return issue('singleLine')
  return null
}

/** Call-log retention in days: 0 to 3650. */
export function validateRetentionDays(value: number | null): Issue | null {
  if (value === null || !Number.isInteger(value)) return issue('required')
  return value >= 0 && value <= 3650 ? null : issue('retentionRange')
}

/** The passphrase of an export with secrets: at least 8 characters. */
export function validatePassphrase(value: string): Issue | null {
  return [...(value ?? '')].length >= 8 ? null : issue('passphraseLength')
}

/** A WeChat errcode (an integer, possibly negative). */
export function validateErrcode(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return issue('required')
  return /^-?[0-9]{1,9}$/.test(v) ? null : issue('errcodeFormat')
}

/** The `auth_type` values WeChat documents. */
export const AUTH_TYPES = [1, 2, 3, 4, 5, 6, 8] as const

/** An API path for quota questions, e.g. `/cgi-bin/message/custom/send`. */
export function validateCgiPath(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return issue('required')
  return /^\/?[A-Za-z0-9_./-]+$/.test(v) && !v.includes('?') ? null : issue('cgiPathFormat')
}

// Every error code the UI can meet, and where the "what to do" for each
// comes from. The core's codes are the generated `ErrorCode` union: the
// `satisfies` below makes a code added in the core fail `npm run typecheck`
// until it is listed here, and the i18n test then demands its title (and,
// for `ui`, its hint) in both languages.

import type { ErrorCode } from '../api/generated/ErrorCode'
import type { LocalErrorCode } from '../api/backend'

/**
 * Where the hint of a code comes from:
 * - `core`: the core's `hint` / `hint_zh` (WeChat's catalogue, crypto, vault,
 *   team …), shown in the UI language when the core has a Chinese one;
 * - `ui`: the UI's own translated `errors.hints.<code>` (codes whose core
 *   hint names CLI commands, and the transport's own codes).
 */
export type HintSource = 'core' | 'ui'

/** Every code the core or the transport sends, with its hint source. */
export const ERROR_CODES = {
  api: 'core',
  connect: 'core',
  timeout: 'core',
  transport: 'core',
  http: 'core',
  decode: 'core',
  invalid_input: 'core',
  invalid_base64: 'core',
  invalid_length: 'core',
  decrypt_failed: 'core',
  watermark_mismatch: 'core',
  signature_mismatch: 'core',
  appid_mismatch: 'core',
  invalid_xml: 'core',
  store: 'core',
  migration: 'core',
  vault_key_missing: 'core',
  vault_key_invalid: 'core',
  vault_wrong_key: 'core',
  vault_malformed: 'core',
  vault_key_store: 'core',
  not_found: 'ui',
  already_exists: 'ui',
  ticket_unavailable: 'ui',
  force_refused: 'ui',
  needs_confirmation: 'core',
  revoked: 'ui',
  io: 'core',
  cancelled: 'core',
  team_unreachable: 'core',
  team_command: 'core',
  team_missing_key: 'core',
  team_unreadable: 'core',
  team_no_such_key: 'core',
  team_read_only: 'core',
  team_stale_generation: 'core',
  team_locked: 'core',
  unauthorized: 'ui',
  forbidden_host: 'ui',
  forbidden_origin: 'ui',
  desktop_only: 'core',
  internal: 'core',
  usage: 'core',
  missing_argument: 'core',
  runtime: 'core',
  // The transport's own codes (see LOCAL_ERROR_CODES).
  network: 'ui',
  forbidden: 'ui',
  http_status: 'ui',
  bad_response: 'ui',
  ipc: 'ui',
} as const satisfies Record<ErrorCode | LocalErrorCode, HintSource>

/** A code this UI knows. */
export type KnownErrorCode = keyof typeof ERROR_CODES

/** Whether `code` is one this UI knows (a newer core may send others). */
export function isKnownErrorCode(code: string): code is KnownErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code)
}

/** Where the hint of `code` comes from; `core` for unknown codes. */
export function hintSource(code: string): HintSource {
  return isKnownErrorCode(code) ? ERROR_CODES[code] : 'core'
}

// The core names the field at fault by its wire name (`cgi_path`,
// `encrypted_data`); an operator knows it by the form's label. This maps the
// one to the other (an i18n key under `fields.*`), so a validation error
// from the server names what the operator sees, in either language.

/** Wire field name → i18n key of its form label. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  appid: 'fields.appid',
  authorizer_appid: 'fields.appid',
  component_appid: 'fields.componentAppid',
  secret: 'fields.appSecret',
  name: 'fields.name',
  token: 'fields.messageToken',
  aes_key: 'fields.aesKey',
  redirect_uri: 'fields.redirectUri',
  code: 'fields.jsCode',
  js_code: 'fields.jsCode',
  openid: 'fields.openid',
  session_key: 'fields.sessionKey',
  iv: 'fields.iv',
  encrypted_data: 'fields.encryptedData',
  data: 'fields.encryptedData',
  query: 'fields.pushQuery',
  body: 'fields.pushBody',
  ticket: 'fields.ticket',
  cgi_path: 'fields.cgiPath',
  passphrase: 'fields.passphrase',
  log_retention_days: 'fields.retentionDays',
  days: 'fields.retentionDays',
  message: 'fields.pushMessage',
  timestamp: 'fields.timestamp',
  nonce: 'fields.nonce',
  taskid: 'fields.taskid',
  base: 'fields.sandboxBase',
}

/** `field: reason` as the core writes an invalid-input message (field, then the reason). */
const FIELD_MESSAGE = /^([a-z][a-z0-9_.]*): (.+)$/s

/** Splits the core's invalid-input message into the wire field and the reason (null if it is not one). */
export function splitFieldMessage(message: string): { field: string; reason: string } | null {
  const m = FIELD_MESSAGE.exec(message)
  return m ? { field: m[1]!, reason: m[2]! } : null
}

/** The label key of a wire field (null when the UI has no label for it); `a.b` is looked up by its last part. */
export function fieldLabelKey(field: string): string | null {
  return FIELD_LABELS[field] ?? FIELD_LABELS[field.split('.').pop() ?? ''] ?? null
}

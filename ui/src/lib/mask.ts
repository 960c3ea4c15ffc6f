// The UI's own masking of a secret it holds in memory, in the same form the
// core uses (`wxdesk_wechat::redact::mask`): the first four characters and an
// ellipsis, or only the ellipsis when the value is too short (≤ 12
// characters) for a prefix to be harmless.

export function maskSecret(value: string): string {
  const chars = [...value]
  if (chars.length === 0) return ''
  if (chars.length <= 12) return '…'
  return `${chars.slice(0, 4).join('')}…`
}

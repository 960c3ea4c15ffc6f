// Reading what operators paste after a merchant acted on a link.

/**
 * Whether pasted text is the whole address the browser landed on after
 * consent (or its query string), as opposed to a bare `auth_code`.
 */
export function looksLikeCallback(input: string): boolean {
  const v = input.trim()
  return v.includes('://') || v.includes('auth_code=') || v.startsWith('?')
}

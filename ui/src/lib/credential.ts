// Whose token a tester uses. A mini program saved with its AppSecret uses its
// own token; an authorized mini program (often without an AppSecret in the
// desk) uses the authorizer token that platform C holds for it; a platform
// uses its component token. The core picks the default when no platform is
// named (the app's own token when its AppSecret is stored, else the
// authorizer token); naming one forces the authorizer token of that platform.

export type Credential =
  | { kind: 'app' }
  | { kind: 'authorizer'; component: string }
  | { kind: 'platform' }

/** The `component_appid` argument the core ops take for `via`. */
export function componentOf(via: Credential | undefined): string | null {
  return via?.kind === 'authorizer' ? via.component : null
}

/**
 * Whether `clear_quota/v2` (AppSecret, no token) is available: an app with its
 * AppSecret, an authorizer through its platform's AppSecret, or a platform.
 */
export function canClearBySecret(via: Credential | undefined, hasSecret: boolean): boolean {
  if (!via) return hasSecret
  return via.kind !== 'app' || hasSecret
}

/** The choices of a `via` selector for an app that is also an authorizer of `components`. */
export function credentialOptions(hasSecret: boolean, components: string[]): Credential[] {
  const out: Credential[] = hasSecret ? [{ kind: 'app' }] : []
  for (const c of components) out.push({ kind: 'authorizer', component: c })
  return out
}

/** A stable key for a credential (select values). */
export function credentialKey(c: Credential): string {
  return c.kind === 'authorizer' ? `authorizer:${c.component}` : c.kind
}

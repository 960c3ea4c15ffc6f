// Team mode (a shared token store on Redis) as the UI shows it: which peer
// layouts fit a platform or a mini program, their default prefixes, the
// arguments of `team_bind` built from the form, and how a key's TTL reads.
// The core checks everything again and stays the authority.

import type { TeamBindArgs, TeamKeyView } from '../api/types'
import type { Issue } from './validators'

/** What is bound: a third-party platform or a mini program. */
export type TeamKind = 'component' | 'app'

/** A peer layout: its name, the accounts it keeps, its default prefix. */
export interface TeamLayout {
  value: string
  kinds: TeamKind[]
  defaultPrefix: string | null
}

/** The layouts the core knows (`wxdesk_wechat::team_layout`). */
export const TEAM_LAYOUTS: TeamLayout[] = [
  { value: 'wxjava-open', kinds: ['component'], defaultPrefix: null },
  { value: 'wxjava-ma', kinds: ['app'], defaultPrefix: 'wa' },
  { value: 'silenceper', kinds: ['component', 'app'], defaultPrefix: 'gowechat_miniprogram_' },
  { value: 'wechatpy', kinds: ['component', 'app'], defaultPrefix: 'wechatpy' },
  { value: 'wxdesk', kinds: ['component', 'app'], defaultPrefix: 'wxdesk' },
]

/** The layouts that can keep `kind`'s tokens. */
export function layoutsFor(kind: TeamKind): TeamLayout[] {
  return TEAM_LAYOUTS.filter((l) => l.kinds.includes(kind))
}

/** The layout offered first: the WxJava one of the kind. */
export function defaultLayout(kind: TeamKind): string {
  return kind === 'component' ? 'wxjava-open' : 'wxjava-ma'
}

/** The bind form. */
export interface TeamForm {
  redisUrl: string
  layout: string
  prefix: string
  mode: 'read-only' | 'read-write'
  /** The CA certificate (PEM) of a rediss:// Redis with a private CA; empty: public roots. */
  caPem: string
}

/** A fresh form: read-only, the kind's WxJava layout. */
export function emptyTeamForm(kind: TeamKind): TeamForm {
  return { redisUrl: '', layout: defaultLayout(kind), prefix: '', mode: 'read-only', caPem: '' }
}

/** `redis://` or `rediss://` with a host. */
export function validateRedisUrl(value: string): Issue | null {
  const v = (value ?? '').trim()
  if (v === '') return { key: 'validation.required' }
  const m = /^(rediss?):\/\/(?:[^/]*@)?([^/:@?#]+)(?::(\d+))?(?:\/\d*)?$/.exec(v)
  if (!m) return { key: 'validation.redisUrl' }
  return null
}

/** The `team_bind` arguments for `appid` from the form (empty prefix: the layout's). */
export function teamBindArgs(kind: TeamKind, appid: string, form: TeamForm): TeamBindArgs {
  const prefix = form.prefix.trim()
  const caPem = form.caPem.trim()
  return {
    component_appid: kind === 'component' ? appid : null,
    appid: kind === 'app' ? appid : null,
    redis_url: form.redisUrl.trim(),
    layout: form.layout,
    prefix: prefix === '' ? null : prefix,
    codec: null,
    mode: form.mode,
    ca_pem: caPem === '' ? null : caPem,
  }
}

/** How one key reads: `missing`, `unreadable`, `noTtl` or `ttl` (with seconds). */
export function keyState(k: TeamKeyView): { key: string; params?: Record<string, string | number> } {
  if (!k.present) return { key: 'team.keyMissing' }
  if (!k.readable) return { key: 'team.keyUnreadable' }
  if (k.ttl === undefined || k.ttl === null || k.ttl < 0) return { key: 'team.keyNoTtl' }
  return { key: 'team.keyTtl', params: { ttl: k.ttl.toLocaleString('en-US') } }
}

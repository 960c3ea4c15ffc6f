// What the Releases screens decide without asking the core: reading the
// operator's domain lists, the colour of a version stage, which readiness
// findings block a submission, and the next version string to suggest.

import type { CheckFinding, ServerDomains, VersionStateView, WxaStage } from '../api/types'

/** The kinds of server domain a form edits, with the scheme each needs. */
export const DOMAIN_KINDS = [
  { key: 'requestdomain', scheme: 'https://' },
  { key: 'wsrequestdomain', scheme: 'wss://' },
  { key: 'uploaddomain', scheme: 'https://' },
  { key: 'downloaddomain', scheme: 'https://' },
] as const

export type DomainKind = (typeof DOMAIN_KINDS)[number]['key']

/** One line of a domain list that cannot be sent, and why. */
export interface DomainProblem {
  kind: DomainKind | 'webviewdomain'
  line: number
  value: string
  reason: 'scheme' | 'path' | 'host'
}

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?$/i

/**
 * Splits a textarea into domains: one per line or separated by commas or
 * spaces, trimmed, empty lines dropped, duplicates removed (first kept), a
 * trailing `/` dropped. Problems name the line and what is wrong.
 */
export function parseDomainList(
  text: string,
  kind: DomainKind | 'webviewdomain',
  scheme: string,
): { domains: string[]; problems: DomainProblem[] } {
  const domains: string[] = []
  const problems: DomainProblem[] = []
  const seen = new Set<string>()
  text.split('\n').forEach((raw, i) => {
    for (const part of raw.split(/[\s,，]+/)) {
      const value = part.trim().replace(/\/+$/, '')
      if (!value) continue
      if (!value.toLowerCase().startsWith(scheme)) {
        problems.push({ kind, line: i + 1, value, reason: 'scheme' })
        continue
      }
      const rest = value.slice(scheme.length)
      if (rest.includes('/') || rest.includes('?') || rest.includes('#')) {
        problems.push({ kind, line: i + 1, value, reason: 'path' })
        continue
      }
      if (!HOST.test(rest)) {
        problems.push({ kind, line: i + 1, value, reason: 'host' })
        continue
      }
      const key = value.toLowerCase()
      if (!seen.has(key)) {
        seen.add(key)
        domains.push(value)
      }
    }
  })
  return { domains, problems }
}

/** The lists of a domains form, parsed; `problems` empty when all can be sent. */
export function parseDomainForm(form: Record<DomainKind, string>): {
  domains: Pick<ServerDomains, DomainKind>
  problems: DomainProblem[]
} {
  const problems: DomainProblem[] = []
  const out = {} as Pick<ServerDomains, DomainKind>
  for (const { key, scheme } of DOMAIN_KINDS) {
    const r = parseDomainList(form[key] ?? '', key, scheme)
    out[key] = r.domains
    problems.push(...r.problems)
  }
  return { domains: out, problems }
}

/** The textarea text of a list. */
export function domainText(list: readonly string[] | null | undefined): string {
  return (list ?? []).join('\n')
}

/** The tag colour of a stage. */
export function stageType(stage: WxaStage): 'default' | 'info' | 'warning' | 'success' | 'error' {
  switch (stage) {
    case 'released':
    case 'audited':
      return 'success'
    case 'auditing':
      return 'warning'
    case 'rejected':
      return 'error'
    case 'experience':
      return 'info'
    default:
      return 'default'
  }
}

/** Findings that stop a submission, and the rest (warnings), blockers first. */
export function splitFindings(findings: readonly CheckFinding[]): { blockers: CheckFinding[]; warnings: CheckFinding[] } {
  return {
    blockers: findings.filter((f) => f.severity === 'blocker'),
    warnings: findings.filter((f) => f.severity !== 'blocker'),
  }
}

/**
 * The version string to suggest for the next commit: the experience
 * version's last number plus one (`1.0.9` → `1.0.10`), else `1.0.0`.
 */
export function nextVersion(state: Pick<VersionStateView, 'experience_version' | 'released_version'> | null): string {
  const current = state?.experience_version || state?.released_version
  if (!current) return '1.0.0'
  const m = current.match(/^(.*?)(\d+)$/)
  if (!m) return `${current}.1`
  return `${m[1]}${Number(m[2]) + 1}`
}

/** An image WeChat answered (an experience QR, a rejection screenshot), as a data URL. */
export function qrDataUrl(contentType: string, base64: string): string {
  const type = /^image\/[a-z.+-]+$/i.test(contentType) ? contentType : 'image/png'
  return `data:${type};base64,${base64}`
}

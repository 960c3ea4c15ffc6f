// The Releases screens' own decisions: reading domain lists (scheme, path,
// host, duplicates, separators), the next version to suggest, blockers
// first, and the QR image's data URL.
import { describe, expect, it } from 'vitest'
import { nextVersion, parseDomainForm, parseDomainList, qrDataUrl, splitFindings, stageType } from '../src/lib/releases'
import type { CheckFinding } from '../src/api/types'

describe('parseDomainList', () => {
  it('splits on lines, commas and spaces, trims, drops a trailing slash and duplicates', () => {
    const r = parseDomainList(' https://a.example.com/ ,https://b.example.com\n\nhttps://A.example.com  https://c.example.com:8443', 'requestdomain', 'https://')
    expect(r.problems).toEqual([])
    expect(r.domains).toEqual(['https://a.example.com', 'https://b.example.com', 'https://c.example.com:8443'])
  })
  it('names the line and the reason of each bad entry', () => {
    const r = parseDomainList('http://a.example.com\nhttps://b.example.com/api\nhttps://localhost', 'requestdomain', 'https://')
    expect(r.domains).toEqual([])
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [1, 'scheme'],
      [2, 'path'],
      [3, 'host'],
    ])
  })
  it('checks each kind against its own scheme', () => {
    const r = parseDomainForm({
      requestdomain: 'https://api.example.com',
      wsrequestdomain: 'https://ws.example.com',
      uploaddomain: '',
      downloaddomain: 'https://cdn.example.com',
    })
    expect(r.domains.requestdomain).toEqual(['https://api.example.com'])
    expect(r.domains.uploaddomain).toEqual([])
    expect(r.problems).toEqual([{ kind: 'wsrequestdomain', line: 1, value: 'https://ws.example.com', reason: 'scheme' }])
  })
})

describe('nextVersion', () => {
  it('bumps the last number of the experience version, else the released one', () => {
    expect(nextVersion({ experience_version: '1.0.9', released_version: '1.0.3' })).toBe('1.0.10')
    expect(nextVersion({ experience_version: null, released_version: '2.3' })).toBe('2.4')
    expect(nextVersion({ experience_version: 'beta', released_version: null })).toBe('beta.1')
    expect(nextVersion(null)).toBe('1.0.0')
  })
})

describe('findings and stages', () => {
  const f = (code: CheckFinding['code'], severity: CheckFinding['severity']): CheckFinding => ({
    code,
    severity,
    message: code,
    message_zh: code,
    fix: '',
    fix_zh: '',
    apply: null,
  })
  it('keeps blockers apart from warnings', () => {
    const { blockers, warnings } = splitFindings([f('no_description', 'warning'), f('no_server_domain', 'blocker')])
    expect(blockers.map((x) => x.code)).toEqual(['no_server_domain'])
    expect(warnings.map((x) => x.code)).toEqual(['no_description'])
  })
  it('colours a rejected stage as an error and a released one as success', () => {
    expect(stageType('rejected')).toBe('error')
    expect(stageType('released')).toBe('success')
    expect(stageType('none')).toBe('default')
  })
  it('never lets a content type inject into the data URL', () => {
    expect(qrDataUrl('image/png', 'AAA')).toBe('data:image/png;base64,AAA')
    expect(qrDataUrl('text/html;x', 'AAA')).toBe('data:image/png;base64,AAA')
  })
})

// The two languages: identical key sets, no empty text, the same
// placeholders on both sides, nothing vue-i18n would misread, and every key
// the code uses — literal or built from a known set of values — exists.

import { describe, expect, it } from 'vitest'
import zhCN from '../src/i18n/zh-CN'
import en from '../src/i18n/en'
import { detectLanguage, asLanguage, i18n, setLocale } from '../src/i18n'
import { LOCAL_ERROR_CODES } from '../src/api/backend'
import { ERROR_CODES } from '../src/lib/errorCodes'
import { AUTH_TYPES } from '../src/lib/validators'
import { flatten, listFiles, readUi } from './helpers'
import { readFileSync } from 'node:fs'
import zhShell from '../src/i18n/zh-CN/shell'
import zhMerchants from '../src/i18n/zh-CN/merchants'
import zhScreens from '../src/i18n/zh-CN/screens'
import enShell from '../src/i18n/en/shell'
import enMerchants from '../src/i18n/en/merchants'
import enScreens from '../src/i18n/en/screens'

const zh = flatten(zhCN)
const eng = flatten(en)

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('message catalogues', () => {
  it('are assembled from parts that never share a top-level key (a later part would silently win)', () => {
    for (const parts of [
      [zhShell, zhMerchants, zhScreens],
      [enShell, enMerchants, enScreens],
    ]) {
      const keys = parts.flatMap((p) => Object.keys(p))
      expect(new Set(keys).size).toBe(keys.length)
    }
    expect(Object.keys(zhCN).length).toBe([zhShell, zhMerchants, zhScreens].flatMap((p) => Object.keys(p)).length)
  })

  it('have identical key sets', () => {
    const a = [...zh.keys()].sort()
    const b = [...eng.keys()].sort()
    expect(a.filter((k) => !eng.has(k))).toEqual([])
    expect(b.filter((k) => !zh.has(k))).toEqual([])
    expect(a.length).toBeGreaterThan(300)
  })

  it('have no empty or non-string values', () => {
    for (const [lang, m] of [['zh-CN', zh], ['en', eng]] as const) {
      for (const [k, v] of m) {
        expect(typeof v, `${lang} ${k}`).toBe('string')
        expect((v as string).trim(), `${lang} ${k}`).not.toBe('')
      }
    }
  })

  it('use the same placeholders in both languages', () => {
    for (const [k, v] of zh) expect(placeholders(eng.get(k) as string), k).toEqual(placeholders(v as string))
  })

  it('contain no character vue-i18n treats as syntax outside placeholders', () => {
    for (const [lang, m] of [['zh-CN', zh], ['en', eng]] as const) {
      for (const [k, v] of m) {
        const text = (v as string).replace(/\{\w+\}/g, '')
        expect(/[{}@$|]/.test(text), `${lang} ${k}: ${v}`).toBe(false)
      }
    }
  })

  it('compile and render through vue-i18n with parameters', () => {
    const { t } = i18n.global
    setLocale('en')
    expect(t('components.authorizerCounts', { active: 3, revoked: 1 })).toBe('3 active · 1 revoked')
    setLocale('zh-CN')
    expect(t('components.authorizerCounts', { active: 3, revoked: 1 })).toBe('有效 3 · 已取消 1')
    expect(document.documentElement.lang).toBe('zh-CN')
  })
})

describe('keys used by the code', () => {
  const sources = [...listFiles('src', ['.vue', '.ts'])].filter((f) => !f.includes('/i18n/') && !f.includes('/generated/'))

  it('every literal t() key exists', () => {
    const missing: string[] = []
    for (const f of sources) {
      const text = readFileSync(f, 'utf8')
      for (const m of text.matchAll(/\bte?\(\s*'([A-Za-z0-9_.]+)'/g)) {
        if (!zh.has(m[1]!)) missing.push(`${f.replace(/.*\/src\//, 'src/')}: ${m[1]}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('every quoted string that looks like a message key exists', () => {
    const namespaces = new Set(Object.keys(zhCN))
    const missing: string[] = []
    for (const f of sources) {
      const text = readFileSync(f, 'utf8')
      for (const m of text.matchAll(/'([a-zA-Z]+)\.([A-Za-z0-9_.]+)'/g)) {
        if (!namespaces.has(m[1]!)) continue
        const key = `${m[1]}.${m[2]}`
        if (!zh.has(key)) missing.push(`${f.replace(/.*\/src\//, 'src/')}: ${key}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('every key built from a template literal belongs to a family listed here', () => {
    const families = new Set<string>()
    for (const f of sources) {
      const text = readFileSync(f, 'utf8')
      for (const m of text.matchAll(/\bte?\(\s*`([A-Za-z0-9_.]+)\.\$\{/g)) families.add(m[1]!)
    }
    expect([...families].sort()).toEqual(
      [
        'authorizers.statusName',
        'authorizers.type',
        'errors.codes',
        'errors.hints',
        'errors.local',
        'fastregister.codeType',
        'fastregister.kinds',
        'fastregister.scanHelp',
        'fastregister.statusName',
        'job.state',
        'meter.component',
        'nav',
        'push.action',
        'releases.audit.state',
        'releases.batches.phase',
        'releases.batches.problem',
        'releases.batches.state',
        'releases.batches.step',
        'releases.batches.steps',
        'releases.check.severity',
        'releases.domains',
        'releases.domains.why',
        'releases.sandbox.outcome',
        'releases.stage',
        'settings.importKinds',
        'ticket.source',
        'token.kind',
        'token.sourceName',
        'tools.qr.ec',
        'wizard.authType',
      ].sort(),
    )
  })

  /** The values of a string union the core exports (ts-rs). */
  const generatedUnion = (name: string) => [...readUi(`src/api/generated/${name}.ts`).matchAll(/"(\w+)"/g)].map((m) => m[1]!)
  const family = (prefix: string, values: readonly (string | number)[]) =>
    it(`${prefix}.* covers ${values.join(', ')}`, () => {
      for (const v of values) expect(zh.has(`${prefix}.${v}`), `${prefix}.${v}`).toBe(true)
    })

  // Values the core sends (see the generated types and the core's error codes).
  family('authorizers.statusName', ['active', 'revoked'])
  family('authorizers.type', ['mini_program', 'official_account', 'unknown'])
  // Every code the UI knows (lib/errorCodes.ts, which the compiler holds to
  // the generated ErrorCode union) has a title; the `ui`-hinted ones a hint.
  const codes = Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]
  family('errors.codes', ['unknown', ...codes])
  family('errors.local', LOCAL_ERROR_CODES)
  family(
    'errors.hints',
    codes.filter((c) => ERROR_CODES[c] === 'ui'),
  )

  it('the UI knows exactly the codes the core exports, plus the transport codes', () => {
    const core = [...readUi('src/api/generated/ErrorCode.ts').matchAll(/"(\w+)"/g)].map((m) => m[1]!)
    expect(core.length).toBeGreaterThan(40)
    expect([...codes].sort()).toEqual([...new Set([...core, ...LOCAL_ERROR_CODES])].sort())
    // No stray title or hint for a code that no longer exists.
    const titled = [...zh.keys()].filter((k) => k.startsWith('errors.codes.')).map((k) => k.slice('errors.codes.'.length))
    expect(titled.sort()).toEqual(['unknown', ...codes].sort())
    const hinted = [...zh.keys()].filter((k) => k.startsWith('errors.hints.')).map((k) => k.slice('errors.hints.'.length))
    expect(hinted.sort()).toEqual(codes.filter((c) => ERROR_CODES[c] === 'ui').sort())
  })
  family('fastregister.codeType', [1, 2, 3])
  family('fastregister.kinds', ['enterprise', 'personal', 'beta', 'offiaccount'])
  family('fastregister.scanHelp', ['enterprise', 'personal', 'beta', 'offiaccount'])
  family('fastregister.statusName', [
    'created', 'waiting_for_legal_person', 'front_checking', 'not_found', 'in_progress', 'succeeded', 'registered', 'failed',
  ])
  family('job.state', ['running', 'done', 'failed', 'cancelled'])
  family('meter.component', ['fast', 'realtime'])
  family('settings.importKinds', ['apps', 'components', 'authorizers', 'settings'])
  family('nav', ['dashboard', 'apps', 'components', 'authorizers', 'releases', 'fastregister', 'tools', 'calls', 'settings'])
  family('push.action', ['ticket_stored', 'authorized', 'unauthorized', 'fast_register', 'ignored'])
  family('ticket.source', ['push', 'manual'])
  family('releases.stage', generatedUnion('WxaStage'))
  family('releases.audit.state', generatedUnion('AuditState'))
  family('releases.check.severity', generatedUnion('Severity'))
  family('releases.domains', ['requestdomain', 'wsrequestdomain', 'uploaddomain', 'downloaddomain', 'webviewdomain'])
  family('releases.domains.why', ['scheme', 'path', 'host'])
  family('releases.sandbox.outcome', generatedUnion('SandboxAuditOutcome'))
  family('releases.batches.state', generatedUnion('BatchState'))
  family('releases.batches.step', generatedUnion('BatchStep'))
  family('releases.batches.phase', generatedUnion('ItemPhase'))
  family('releases.batches.steps', ['full', 'release', 'revert'])
  family('releases.batches.problem', ['required', 'email', 'purposeLine', 'domain.scheme', 'domain.path', 'domain.host'])
  family('token.kind', ['app_stable', 'app_legacy', 'component', 'authorizer'])
  family('token.sourceName', ['cache', 'fresh', 'redis'])
  family('tools.qr.ec', ['L', 'M', 'Q', 'H'])
  family('wizard.authType', AUTH_TYPES)
  family('time', ['daysHours', 'hoursMinutes', 'minutesSeconds', 'seconds'])

  it('the core statuses and kinds above match the generated types', () => {
    const union = (file: string) => [...readUi(`src/api/generated/${file}.ts`).matchAll(/"(\w+)"/g)].map((m) => m[1])
    expect(union('TokenKind').sort()).toEqual(['app_stable', 'app_legacy', 'authorizer', 'component'].sort())
    expect(union('JobState').sort()).toEqual(['cancelled', 'done', 'failed', 'running'])
    expect(union('AuthorizerStatus').sort()).toEqual(['active', 'revoked'])
    expect(union('TaskKind').sort()).toEqual(['beta', 'enterprise', 'offiaccount', 'personal'])
    expect(union('TokenSource').sort()).toEqual(['cache', 'fresh', 'redis'])
  })

  it('validators only name keys that exist', () => {
    const text = readUi('src/lib/validators.ts')
    const keys = [...text.matchAll(/issue\('(\w+)'/g)].map((m) => `validation.${m[1]}`)
    expect(keys.length).toBeGreaterThan(20)
    for (const k of keys) expect(zh.has(k), k).toBe(true)
  })
})

describe('language choice', () => {
  it('follows a Chinese system locale, else English', () => {
    expect(detectLanguage('zh-CN')).toBe('zh-CN')
    expect(detectLanguage('zh-TW')).toBe('zh-CN')
    expect(detectLanguage('zh')).toBe('zh-CN')
    expect(detectLanguage('ZH-hans')).toBe('zh-CN')
    expect(detectLanguage('en-US')).toBe('en')
    expect(detectLanguage('de')).toBe('en')
    expect(detectLanguage('')).toBe('en')
    expect(detectLanguage(undefined)).toBe('en')
  })
  it('accepts only supported languages from the core', () => {
    expect(asLanguage('zh-CN')).toBe('zh-CN')
    expect(asLanguage('en')).toBe('en')
    expect(asLanguage('fr')).toBeNull()
    expect(asLanguage(null)).toBeNull()
  })
})

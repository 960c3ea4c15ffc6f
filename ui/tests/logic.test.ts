// Small pieces of UI logic: masking, job polling, error texts, task helpers.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { getBackend, setBackend } from '../src/api'
import { ApiError } from '../src/api/backend'
import type { Backend } from '../src/api/backend'
import { maskSecret } from '../src/lib/mask'
import { jobPercent, useJob, JOB_POLL_MS } from '../src/composables/useJob'
import { describeError } from '../src/composables/useErrorDisplay'
import { fixInLanguage } from '../src/lib/hint'
import { enterpriseSearchFields, taskTagType } from '../src/views/fastregister/tasks'
import { i18n, setLocale } from '../src/i18n'
import type { TaskStatus } from '../src/api/types'
import en from '../src/i18n/en'
import zhCN from '../src/i18n/zh-CN'
import { RecordingBackend } from './helpers'

describe('maskSecret', () => {
  it('shows four characters of long secrets, nothing of short ones', () => {
    expect(maskSecret('0123456789abcdef0123456789abcdef')).toBe('0123…')
    expect(maskSecret('1234567890123')).toBe('1234…')
    expect(maskSecret('123456789012')).toBe('…')
    expect(maskSecret('abc')).toBe('…')
    expect(maskSecret('')).toBe('')
  })
})

describe('jobPercent', () => {
  it('is 0 without a total, 100 when done, the share otherwise', () => {
    expect(jobPercent(null)).toBe(0)
    expect(jobPercent({ state: 'running', done: 0, total: 0 })).toBe(0)
    expect(jobPercent({ state: 'running', done: 1, total: 3 })).toBe(33)
    expect(jobPercent({ state: 'running', done: 5, total: 4 })).toBe(100)
    expect(jobPercent({ state: 'done', done: 0, total: 0 })).toBe(100)
    expect(jobPercent({ state: 'cancelled', done: 2, total: 4 })).toBe(50)
  })
})

describe('useJob', () => {
  let saved: Backend
  beforeEach(() => {
    saved = getBackend()
    vi.useFakeTimers()
  })
  afterEach(() => {
    setBackend(saved)
    vi.useRealTimers()
  })

  function fakeJob(states: Array<Record<string, unknown>>) {
    let i = 0
    return new RecordingBackend((op) => {
      if (op === 'authorizer_refresh') return { job_id: 'job-1' }
      if (op === 'job_status') return states[Math.min(i++, states.length - 1)]
      if (op === 'job_cancel') return { ...states[0], state: 'running' }
      throw new Error(`unexpected ${op}`)
    })
  }
  const status = (state: string, done: number, total: number, extra: Record<string, unknown> = {}) => ({
    job_id: 'job-1',
    kind: 'authorizer_refresh',
    state,
    done,
    total,
    result: null,
    error: null,
    ...extra,
  })

  it('polls job_status every 250 ms until the job ends', async () => {
    const backend = fakeJob([status('running', 0, 4), status('running', 2, 4), status('done', 4, 4, { result: { refreshed: 4 } })])
    setBackend(backend)
    const scope = effectScope()
    const job = scope.run(() => useJob<{ refreshed: number }>())!
    const done = job.start(() =>
      import('../src/api').then((api) => api.authorizerRefresh({ component_appid: 'wx1', appid: null, all: true, concurrency: null, force: false, confirmed: false })),
    )
    await vi.advanceTimersByTimeAsync(0)
    expect(job.status.value?.done).toBe(0)
    expect(job.running.value).toBe(true)
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS)
    expect(job.percent.value).toBe(50)
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS)
    const final = await done
    expect(final?.state).toBe('done')
    expect(job.result.value).toEqual({ refreshed: 4 })
    expect(job.percent.value).toBe(100)
    expect(job.running.value).toBe(false)
    const polls = backend.calls.filter((c) => c.op === 'job_status')
    expect(polls).toHaveLength(3)
    expect(polls[0]!.args).toEqual({ job_id: 'job-1' })
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS * 4)
    expect(backend.calls.filter((c) => c.op === 'job_status')).toHaveLength(3)
    scope.stop()
  })

  it('cancels through job_cancel and reports the failure of a failed job', async () => {
    const backend = fakeJob([
      status('running', 1, 10),
      status('running', 1, 10),
      status('failed', 1, 10, { error: { code: 'api', message: 'bad', errcode: 61023 } }),
    ])
    setBackend(backend)
    const scope = effectScope()
    const job = scope.run(() => useJob())!
    const done = job.start(() => Promise.resolve({ job_id: 'job-1' }))
    await vi.advanceTimersByTimeAsync(0)
    await job.cancel()
    expect(backend.calls.some((c) => c.op === 'job_cancel' && (c.args as { job_id: string }).job_id === 'job-1')).toBe(true)
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS * 3)
    const final = await done
    expect(final?.state).toBe('failed')
    expect(job.error.value?.code).toBe('api')
    expect(job.error.value?.errcode).toBe(61023)
    scope.stop()
  })

  it('reports a job that could not start', async () => {
    setBackend(new RecordingBackend())
    const scope = effectScope()
    const job = scope.run(() => useJob())!
    const r = await job.start(() => Promise.reject(new ApiError({ code: 'ticket_unavailable', message: 'no ticket' })))
    expect(r).toBeNull()
    expect(job.error.value?.code).toBe('ticket_unavailable')
    expect(job.status.value).toBeNull()
    scope.stop()
  })

  it('stops polling when its component goes away', async () => {
    const backend = fakeJob([status('running', 0, 4)])
    setBackend(backend)
    const scope = effectScope()
    const job = scope.run(() => useJob())!
    const done = job.start(() => Promise.resolve({ job_id: 'job-1' }))
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS * 2)
    scope.stop()
    await done
    const n = backend.calls.length
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS * 4)
    expect(backend.calls.length).toBe(n)
  })
})

describe('describeError', () => {
  const tr = {
    t: (key: string, params?: Record<string, unknown>) => i18n.global.t(key, params ?? {}),
    te: (key: string) => i18n.global.te(key),
  }
  beforeEach(() => setLocale('en'))

  it('titles by code and keeps the core message and its catalogue hint for WeChat errors', () => {
    const e = new ApiError({ code: 'api', message: 'invalid appid', hint: 'copy the AppID again', errcode: 40013 })
    expect(describeError(e, tr)).toEqual({ title: 'WeChat answered with an error', message: 'invalid appid', hint: 'copy the AppID again' })
  })

  it("prefers the UI's own hint for desk codes whose core hint names CLI commands", () => {
    const e = new ApiError({ code: 'ticket_unavailable', message: 'no ticket for wx1', hint: 'run `wxdesk component ticket start-push`' })
    const d = describeError(e, tr)
    expect(d.hint).toContain('Restart pushes')
    expect(d.message).toBe('no ticket for wx1')
  })

  it('translates transport failures instead of showing their raw text', () => {
    const e = new ApiError({ code: 'unauthorized', message: 'HTTP 401 Unauthorized' })
    const d = describeError(e, tr)
    expect(d.title).toBe('Invalid access token')
    expect(d.message).toBe('The browser has no valid access token (cookie).')
    expect(d.hint).toContain('wxdesk serve')
  })

  it('shows the catalogue fix in Chinese when the UI is zh-CN, in English otherwise', () => {
    const e = new ApiError({
      code: 'api',
      message: 'invalid ip 1.2.3.4, not in whitelist',
      hint: 'Add the caller IP 1.2.3.4 to …',
      hint_zh: '把调用方 IP 1.2.3.4 加到 …',
      errcode: 40164,
    })
    expect(describeError(e, { ...tr, locale: () => 'zh-CN' }).hint).toBe('把调用方 IP 1.2.3.4 加到 …')
    expect(describeError(e, { ...tr, locale: () => 'en' }).hint).toBe('Add the caller IP 1.2.3.4 to …')
    // Without a locale (or without a Chinese fix) the English one is shown.
    expect(describeError(e, tr).hint).toBe('Add the caller IP 1.2.3.4 to …')
    const noZh = new ApiError({ code: 'api', message: 'm', hint: 'english only', errcode: 1 })
    expect(describeError(noZh, { ...tr, locale: () => 'zh-CN' }).hint).toBe('english only')
  })

  it("keeps the UI's own hint for desk codes in zh-CN", () => {
    setLocale('zh-CN')
    const e = new ApiError({ code: 'ticket_unavailable', message: 'no ticket', hint: 'run `wxdesk …`', hint_zh: '不会出现' })
    const d = describeError(e, { ...tr, locale: () => 'zh-CN' })
    expect(d.hint).toBe(i18n.global.t('errors.hints.ticket_unavailable'))
    expect(d.hint).not.toBe('不会出现')
  })

  it("shows the core's crypto hint in the UI language (no errcode needed)", () => {
    const e = new ApiError({
      code: 'watermark_mismatch',
      message: 'watermark appid is wx2, expected wx1',
      hint: 'the data belongs to another mini program',
      hint_zh: '这段数据属于另一个小程序',
    })
    expect(describeError(e, { ...tr, locale: () => 'zh-CN' }).hint).toBe('这段数据属于另一个小程序')
    expect(describeError(e, { ...tr, locale: () => 'en' })).toEqual({
      title: 'The watermark does not match',
      message: 'watermark appid is wx2, expected wx1',
      hint: 'the data belongs to another mini program',
    })
  })

  it('titles every code the core sends, including the server and team codes', () => {
    for (const code of ['forbidden_host', 'desktop_only', 'team_locked', 'internal'] as const) {
      const d = describeError(new ApiError({ code, message: 'm' }), tr)
      expect(d.title, code).not.toContain('The operation failed')
    }
    expect(describeError(new ApiError({ code: 'forbidden_host', message: 'm' }), tr).hint).toContain('wxdesk serve')
  })

  it('falls back to the code for unknown codes', () => {
    const e = new ApiError({ code: 'brand_new', message: 'something', hint: 'do this' })
    expect(describeError(e, tr)).toEqual({ title: 'The operation failed (brand_new)', message: 'something', hint: 'do this' })
  })
})

describe('fast-registration task helpers', () => {
  it('colour statuses', () => {
    expect(taskTagType({ status: 'succeeded' })).toBe('success')
    expect(taskTagType({ status: 'failed' })).toBe('error')
    expect(taskTagType({ status: 'registered' })).toBe('warning')
    expect(taskTagType({ status: 'waiting_for_legal_person' })).toBe('info')
  })
  it('colour and name every status the core sends', () => {
    // A Record over the generated union: a new status breaks the typecheck here.
    const every: Record<TaskStatus, true> = {
      created: true,
      waiting_for_legal_person: true,
      front_checking: true,
      not_found: true,
      in_progress: true,
      succeeded: true,
      registered: true,
      failed: true,
    }
    for (const status of Object.keys(every) as TaskStatus[]) {
      expect(taskTagType({ status })).not.toBeUndefined()
      expect(en.fastregister.statusName[status]).toBeTruthy()
      expect(zhCN.fastregister.statusName[status]).toBeTruthy()
    }
  })
  it('read the search fields back from an enterprise request', () => {
    expect(
      enterpriseSearchFields({ task_key: 'ACME', request: { name: 'ACME Ltd', legal_persona_wechat: 'w', legal_persona_name: 'p', code: 'x' } }),
    ).toEqual({ name: 'ACME Ltd', legal_persona_wechat: 'w', legal_persona_name: 'p' })
    expect(enterpriseSearchFields({ task_key: 'ACME', request: { legal_persona_wechat: 'w', legal_persona_name: 'p' } })).toEqual({
      name: 'ACME',
      legal_persona_wechat: 'w',
      legal_persona_name: 'p',
    })
    expect(enterpriseSearchFields({ task_key: 'x', request: null })).toBeNull()
    expect(enterpriseSearchFields({ task_key: 'x', request: { name: 'x' } })).toBeNull()
  })
})

describe('fixInLanguage', () => {
  it('picks the Chinese fix only in zh-CN and only when there is one', () => {
    expect(fixInLanguage('zh-CN', 'english', '中文')).toBe('中文')
    expect(fixInLanguage('en', 'english', '中文')).toBe('english')
    expect(fixInLanguage('zh-CN', 'english', null)).toBe('english')
    expect(fixInLanguage('zh-CN', 'english', '')).toBe('english')
    expect(fixInLanguage('zh-CN', undefined, undefined)).toBeUndefined()
  })
})

// Issue 11 leftovers: a waiting state in the call log gets a neutral tag (not
// a failure); the add dialogs' "Test these credentials" result; a task that
// waits for a push with no receiver offers to paste it; the call-log filters
// say "contains".

import { describe, expect, it } from 'vitest'
import type { CallLogView, CredentialsTestView } from '../src/api/types'
import { callOutcome, pillClass } from '../src/lib/callOutcome'
import { canTest, credentialsResult } from '../src/lib/credentialsTest'
import { waitsForPushWithoutReceiver } from '../src/views/fastregister/tasks'
import en from '../src/i18n/en'
import zhCN from '../src/i18n/zh-CN'

const t = (key: string, named?: Record<string, unknown>) => `${key}${named ? JSON.stringify(named) : ''}`

type Row = Pick<CallLogView, 'errcode' | 'failed' | 'waiting' | 'error_kind' | 'http_status'>
const row = (r: Partial<Row>): Row => ({ errcode: 0, failed: false, waiting: false, error_kind: null, http_status: 200, ...r })

describe('call outcome', () => {
  it('shows a waiting state neutrally, with its code, and failures as errors', () => {
    expect(callOutcome(row({ errcode: 89251, waiting: true }), t)).toEqual({ type: 'default', text: 'calls.waiting{"code":89251}' })
    expect(callOutcome(row({ errcode: 89252, waiting: true }), t).type).toBe('default')
    expect(callOutcome(row({ errcode: 40125, failed: true, error_kind: 'api' }), t)).toEqual({ type: 'error', text: '40125' })
    expect(callOutcome(row({ errcode: null, failed: true, error_kind: 'timeout', http_status: null }), t)).toEqual({ type: 'error', text: 'timeout' })
    expect(callOutcome(row({}), t)).toEqual({ type: 'success', text: 'calls.ok' })
  })
  it('draws each outcome as a plain pill in its colour (a waiting state stays neutral)', () => {
    expect(pillClass(callOutcome(row({}), t).type)).toBe('pill pill-ok')
    expect(pillClass(callOutcome(row({ errcode: 40125, failed: true }), t).type)).toBe('pill pill-err')
    expect(pillClass(callOutcome(row({ http_status: 502 }), t).type)).toBe('pill pill-warn')
    expect(pillClass(callOutcome(row({ errcode: 89251, waiting: true }), t).type)).toBe('pill')
  })
  it('names the waiting state and says the filters match substrings in both languages', () => {
    expect(en.calls.waiting).toContain('{code}')
    expect(zhCN.calls.waiting).toContain('{code}')
    expect(en.calls.filterAccount).toMatch(/contains/)
    expect(en.calls.filterEndpoint).toMatch(/contains/)
    expect(zhCN.calls.filterAccount).toMatch(/包含/)
    expect(zhCN.calls.filterEndpoint).toMatch(/包含/)
  })
})

describe('test these credentials', () => {
  const view = (outcome: CredentialsTestView['outcome']): CredentialsTestView => ({
    appid: 'wx1234567890abcdef',
    outcome,
    endpoint: outcome === 'ok' ? 'cgi-bin/stable_token' : null,
    expires_in: outcome === 'ok' ? 7000 : null,
    message: 'm',
    message_zh: 'm',
  })
  it('says ok per kind, and that a platform needs a ticket', () => {
    expect(credentialsResult('app', view('ok'))).toEqual({ type: 'success', title: 'credentialsTest.okTitle', body: 'credentialsTest.okApp' })
    expect(credentialsResult('component', view('ok')).body).toBe('credentialsTest.okComponent')
    expect(credentialsResult('component', view('needs_ticket'))).toEqual({
      type: 'info',
      title: 'credentialsTest.needsTicketTitle',
      body: 'credentialsTest.needsTicket',
    })
    expect(credentialsResult('component', view('in_use'))).toEqual({
      type: 'info',
      title: 'credentialsTest.inUseTitle',
      body: 'credentialsTest.inUse',
    })
    for (const key of ['button', 'okTitle', 'okApp', 'okComponent', 'needsTicketTitle', 'needsTicket', 'inUseTitle', 'inUse'] as const) {
      expect(en.credentialsTest[key]).toBeTruthy()
      expect(zhCN.credentialsTest[key]).toBeTruthy()
    }
  })
  it('is offered once both fields hold something', () => {
    expect(canTest('', 'x')).toBe(false)
    expect(canTest('wx1', '  ')).toBe(false)
    expect(canTest(' wx1 ', 's')).toBe(true)
  })
})

describe('fast registration without a push receiver', () => {
  it('offers the paste only for an unfinished task of a platform without a receiver', () => {
    expect(waitsForPushWithoutReceiver({ finished: false }, false)).toBe(true)
    expect(waitsForPushWithoutReceiver({ finished: false }, true)).toBe(false)
    expect(waitsForPushWithoutReceiver({ finished: true }, false)).toBe(false)
    expect(en.fastregister.noReceiverTitle).toBe('No push receiver is set up')
    expect(en.fastregister.noReceiver).toMatch(/cannot reach wxdesk/)
    expect(zhCN.fastregister.noReceiver).toBeTruthy()
  })
})

// The two transports: what they send, and how every kind of failure becomes
// one ApiError with a code the UI can switch on.

import { describe, expect, it, vi } from 'vitest'
import { ApiError, HttpBackend, TauriBackend, isErrorBody, type FetchFn } from '../src/api/backend'

function fetchReturning(res: Response | Error): { fn: FetchFn; calls: Array<[string, RequestInit]> } {
  const calls: Array<[string, RequestInit]> = []
  const fn: FetchFn = (input, init) => {
    calls.push([input, init])
    return res instanceof Error ? Promise.reject(res) : Promise.resolve(res)
  }
  return { fn, calls }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError)
    return e as ApiError
  }
  throw new Error('expected the call to fail')
}

describe('HttpBackend', () => {
  it('POSTs the JSON args to /api/op/<name> on the same origin', async () => {
    const { fn, calls } = fetchReturning(json([{ appid: 'wx1' }]))
    const b = new HttpBackend('', fn)
    const r = await b.call('app_show', { appid: 'wx1111111111111111' })
    expect(r).toEqual([{ appid: 'wx1' }])
    expect(calls).toHaveLength(1)
    const [url, init] = calls[0]!
    expect(url).toBe('/api/op/app_show')
    expect(init.method).toBe('POST')
    expect(init.credentials).toBe('same-origin')
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json')
    expect(JSON.parse(init.body as string)).toEqual({ appid: 'wx1111111111111111' })
  })

  it('honours a base URL without doubling slashes', async () => {
    const { fn, calls } = fetchReturning(json({}))
    await new HttpBackend('http://127.0.0.1:9/', fn).call('settings_get', {})
    expect(calls[0]![0]).toBe('http://127.0.0.1:9/api/op/settings_get')
  })

  it('maps an ErrorBody answer to ApiError with code, message, hint, hint_zh and errcode', async () => {
    const body = { code: 'api', message: 'invalid appid', hint: 'check the AppID', hint_zh: '逐个字符核对 AppID', errcode: 40013 }
    const { fn } = fetchReturning(json(body, 400))
    const e = await failure(new HttpBackend('', fn).call('app_list', {}))
    expect(e.code).toBe('api')
    expect(e.message).toBe('invalid appid')
    expect(e.hint).toBe('check the AppID')
    expect(e.hintZh).toBe('逐个字符核对 AppID')
    expect(e.errcode).toBe(40013)
    expect(e.status).toBe(400)
    expect(e.local).toBe(false)
    expect(e.body).toEqual(body)
  })

  it('keeps an ErrorBody without hint or errcode as such', async () => {
    const { fn } = fetchReturning(json({ code: 'needs_confirmation', message: 'remove app x needs confirmation: …' }, 409))
    const e = await failure(new HttpBackend('', fn).call('app_remove', { appid: 'x', confirmed: false }))
    expect(e.code).toBe('needs_confirmation')
    expect(e.hint).toBeUndefined()
    expect(e.hintZh).toBeUndefined()
    expect(e.errcode).toBeUndefined()
    expect(e.body).toEqual({ code: 'needs_confirmation', message: 'remove app x needs confirmation: …' })
  })

  it('maps a bare 401 to unauthorized and a bare 403 to forbidden', async () => {
    const e401 = await failure(new HttpBackend('', fetchReturning(new Response('no', { status: 401 })).fn).call('app_list', {}))
    expect(e401.code).toBe('unauthorized')
    expect(e401.local).toBe(true)
    expect(e401.status).toBe(401)
    const e403 = await failure(new HttpBackend('', fetchReturning(new Response('', { status: 403 })).fn).call('app_list', {}))
    expect(e403.code).toBe('forbidden')
  })

  it('maps other non-JSON failures to http_status', async () => {
    const e = await failure(new HttpBackend('', fetchReturning(new Response('<html>bad gateway</html>', { status: 502 })).fn).call('app_list', {}))
    expect(e.code).toBe('http_status')
    expect(e.status).toBe(502)
    expect(e.message).toContain('502')
  })

  it('maps a JSON error that is not an ErrorBody to http_status', async () => {
    const e = await failure(new HttpBackend('', fetchReturning(json({ oops: true }, 500)).fn).call('app_list', {}))
    expect(e.code).toBe('http_status')
  })

  it('maps a network failure to network', async () => {
    const e = await failure(new HttpBackend('', fetchReturning(new TypeError('Failed to fetch')).fn).call('app_list', {}))
    expect(e.code).toBe('network')
    expect(e.message).toBe('Failed to fetch')
    expect(e.local).toBe(true)
  })

  it('maps a 200 answer that is not JSON to bad_response', async () => {
    const e = await failure(new HttpBackend('', fetchReturning(new Response('<html></html>', { status: 200 })).fn).call('app_list', {}))
    expect(e.code).toBe('bad_response')
  })

  it('returns null for an empty 200 answer', async () => {
    const r = await new HttpBackend('', fetchReturning(new Response('', { status: 200 })).fn).call('app_list', {})
    expect(r).toBeNull()
  })
})

describe('TauriBackend', () => {
  it('invokes the one generic op command with name and args', async () => {
    const invoke = vi.fn().mockResolvedValue({ ok: true })
    const r = await new TauriBackend(invoke).call('save_file', { path: '/tmp/a', content_base64: 'AA==' })
    expect(r).toEqual({ ok: true })
    expect(invoke).toHaveBeenCalledWith('op', { name: 'save_file', args: { path: '/tmp/a', content_base64: 'AA==' } })
  })

  it('maps a rejected ErrorBody object', async () => {
    const invoke = vi.fn().mockRejectedValue({ code: 'not_found', message: 'app wx1 not found', hint: 'add it first' })
    const e = await failure(new TauriBackend(invoke).call('app_show', { appid: 'wx1' }))
    expect(e.code).toBe('not_found')
    expect(e.hint).toBe('add it first')
  })

  it('maps a rejected JSON string carrying an ErrorBody', async () => {
    const invoke = vi.fn().mockRejectedValue(JSON.stringify({ code: 'api', message: 'm', errcode: 61023 }))
    const e = await failure(new TauriBackend(invoke).call('app_show', { appid: 'wx1' }))
    expect(e.code).toBe('api')
    expect(e.errcode).toBe(61023)
  })

  it('maps any other rejection to ipc', async () => {
    const e1 = await failure(new TauriBackend(vi.fn().mockRejectedValue('command op not found')).call('app_list', {}))
    expect(e1.code).toBe('ipc')
    expect(e1.message).toBe('command op not found')
    const e2 = await failure(new TauriBackend(vi.fn().mockRejectedValue(new Error('boom'))).call('app_list', {}))
    expect(e2.code).toBe('ipc')
    expect(e2.message).toBe('boom')
  })
})

describe('ApiError.from / isErrorBody', () => {
  it('passes ApiErrors through', () => {
    const e = new ApiError({ code: 'io', message: 'x' })
    expect(ApiError.from(e)).toBe(e)
  })
  it('recognizes the error body shape', () => {
    expect(isErrorBody({ code: 'a', message: 'b' })).toBe(true)
    expect(isErrorBody({ code: 'a', message: 'b', hint: null, errcode: null })).toBe(true)
    expect(isErrorBody({ code: 'a', message: 'b', hint: 'x', hint_zh: '修' })).toBe(true)
    expect(isErrorBody({ code: 'a', message: 'b', hint_zh: 7 })).toBe(false)
    expect(isErrorBody({ code: 'a' })).toBe(false)
    expect(isErrorBody({ code: 1, message: 'b' })).toBe(false)
    expect(isErrorBody({ code: 'a', message: 'b', errcode: '1' })).toBe(false)
    expect(isErrorBody(null)).toBe(false)
    expect(isErrorBody('x')).toBe(false)
  })
})

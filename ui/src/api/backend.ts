// One interface, two transports. Every operation the UI performs goes through
// `Backend.call(op, args)`: inside the Tauri window it is one generic IPC
// command (`invoke('op', { name, args })`), in browser mode (`wxdesk serve`)
// it is `POST /api/op/<name>`. Both carry the same JSON and fail with the same
// `{code, message, hint?, hint_zh?, errcode?}` body, which this module turns
// into an `ApiError` so screens switch on `code` and never parse message text.

import { invoke as tauriInvoke } from '@tauri-apps/api/core'
import type { OpArgs, OpName, OpResult } from './ops'
import type { ErrorBody } from './types'

/**
 * Error codes produced by the transport itself (the core never sends them).
 * The UI shows a translated text for these instead of `message`.
 */
export const LOCAL_ERROR_CODES = [
  'network',
  'unauthorized',
  'forbidden',
  'http_status',
  'bad_response',
  'ipc',
] as const
export type LocalErrorCode = (typeof LOCAL_ERROR_CODES)[number]

/**
 * An error body as it arrives: the core's `ErrorBody`, a transport's own
 * code, or a code from a newer core this UI does not know yet (shown with
 * the generic title; see lib/errorCodes.ts).
 */
export type WireErrorBody = Omit<ErrorBody, 'code'> & { code: ErrorBody['code'] | LocalErrorCode | (string & {}) }

/** An operation failed: the core's `ErrorBody`, or a transport failure. */
export class ApiError extends Error {
  readonly code: string
  readonly hint?: string
  /** The catalogue's fix in Chinese (WeChat errcodes only). */
  readonly hintZh?: string
  readonly errcode?: number
  /** The rid of WeChat's error answer (look it up with `rid_lookup`). */
  readonly rid?: string
  /** HTTP status in browser mode, when the failure came with one. */
  readonly status?: number

  constructor(body: WireErrorBody, status?: number) {
    super(body.message)
    this.name = 'ApiError'
    this.code = body.code
    this.hint = body.hint ?? undefined
    this.hintZh = body.hint_zh ?? undefined
    this.errcode = body.errcode ?? undefined
    this.rid = body.rid ?? undefined
    this.status = status
  }

  /** True for codes made up by the transport (see `LOCAL_ERROR_CODES`). */
  get local(): boolean {
    return (LOCAL_ERROR_CODES as readonly string[]).includes(this.code)
  }

  /** The boundary shape again (for display and logging). */
  get body(): WireErrorBody {
    const b: WireErrorBody = { code: this.code, message: this.message }
    if (this.hint !== undefined) b.hint = this.hint
    if (this.hintZh !== undefined) b.hint_zh = this.hintZh
    if (this.errcode !== undefined) b.errcode = this.errcode
    if (this.rid !== undefined) b.rid = this.rid
    return b
  }

  /** Normalizes anything thrown by a transport into an `ApiError`. */
  static from(e: unknown, fallbackCode: LocalErrorCode = 'ipc'): ApiError {
    if (e instanceof ApiError) return e
    if (isErrorBody(e)) return new ApiError(e)
    if (typeof e === 'string') {
      try {
        const parsed: unknown = JSON.parse(e)
        if (isErrorBody(parsed)) return new ApiError(parsed)
      } catch {
        // not JSON: a plain message from the IPC layer
      }
      return new ApiError({ code: fallbackCode, message: e })
    }
    if (e instanceof Error) return new ApiError({ code: fallbackCode, message: e.message })
    return new ApiError({ code: fallbackCode, message: String(e) })
  }
}

/** Whether `v` has the shape of the core's error body. */
export function isErrorBody(v: unknown): v is WireErrorBody {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return (
    typeof o.code === 'string' &&
    typeof o.message === 'string' &&
    (o.hint === undefined || o.hint === null || typeof o.hint === 'string') &&
    (o.hint_zh === undefined || o.hint_zh === null || typeof o.hint_zh === 'string') &&
    (o.errcode === undefined || o.errcode === null || typeof o.errcode === 'number')
  )
}

/** The one seam between the UI and the Rust core. */
export interface Backend {
  call<K extends OpName>(op: K, args: OpArgs<K>): Promise<OpResult<K>>
}

/** `invoke` of @tauri-apps/api/core (injectable for tests). */
export type InvokeFn = (cmd: string, args: Record<string, unknown>) => Promise<unknown>

/** Inside the Tauri window: one generic `op` command. */
export class TauriBackend implements Backend {
  private readonly invoke: InvokeFn

  constructor(invoke: InvokeFn = (cmd, args) => tauriInvoke(cmd, args)) {
    this.invoke = invoke
  }

  async call<K extends OpName>(op: K, args: OpArgs<K>): Promise<OpResult<K>> {
    try {
      return (await this.invoke('op', { name: op, args })) as OpResult<K>
    } catch (e) {
      throw ApiError.from(e, 'ipc')
    }
  }
}

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>

/** Browser mode: `POST /api/op/<name>` on the origin that served the UI. */
export class HttpBackend implements Backend {
  private readonly base: string
  private readonly fetchFn: FetchFn

  constructor(base = '', fetchFn: FetchFn = (input, init) => fetch(input, init)) {
    this.base = base.replace(/\/+$/, '')
    this.fetchFn = fetchFn
  }

  /** The URL an op is posted to. */
  url(op: OpName): string {
    return `${this.base}/api/op/${encodeURIComponent(op)}`
  }

  async call<K extends OpName>(op: K, args: OpArgs<K>): Promise<OpResult<K>> {
    let res: Response
    try {
      res = await this.fetchFn(this.url(op), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(args ?? {}),
        credentials: 'same-origin',
      })
    } catch (e) {
      throw new ApiError({
        code: 'network',
        message: e instanceof Error ? e.message : String(e),
      })
    }
    const text = await res.text()
    let data: unknown = undefined
    let parsed = false
    if (text.trim() !== '') {
      try {
        data = JSON.parse(text)
        parsed = true
      } catch {
        parsed = false
      }
    }
    if (res.ok) {
      if (text.trim() !== '' && !parsed) {
        throw new ApiError({ code: 'bad_response', message: `${op}: not JSON` }, res.status)
      }
      return (data ?? null) as OpResult<K>
    }
    if (isErrorBody(data)) throw new ApiError(data, res.status)
    const code: LocalErrorCode =
      res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'http_status'
    throw new ApiError({ code, message: `HTTP ${res.status} ${res.statusText}`.trim() }, res.status)
  }
}

/** True inside a Tauri 2 webview. */
export function inTauri(): boolean {
  return typeof window !== 'undefined' && window.__TAURI_INTERNALS__ !== undefined
}

/** The transport for where the UI is running. */
export function createBackend(): Backend {
  return inTauri() ? new TauriBackend() : new HttpBackend()
}

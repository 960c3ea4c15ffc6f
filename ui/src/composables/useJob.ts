// Long operations (authorizer sync, bulk token refresh) run as jobs in the
// core: the op answers `{job_id}` at once, and the UI polls `job_status`
// every 250 ms to drive a progress bar, with a Cancel button calling
// `job_cancel`. Polling stops when the component unmounts; the job itself
// keeps running in the core.

import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import * as api from '../api'
import { ApiError } from '../api/backend'
import type { JobStarted, JobStatus } from '../api/types'

export const JOB_POLL_MS = 250

/** Progress percentage of a job status (0 while the total is unknown). */
export function jobPercent(s: Pick<JobStatus, 'done' | 'total' | 'state'> | null): number {
  if (!s) return 0
  if (s.state === 'done') return 100
  if (!s.total || s.total <= 0) return 0
  return Math.min(100, Math.max(0, Math.floor((s.done / s.total) * 100)))
}

export function useJob<R = unknown>(opts: { intervalMs?: number } = {}) {
  const interval = opts.intervalMs ?? JOB_POLL_MS
  const status = shallowRef<JobStatus<R> | null>(null)
  const error = shallowRef<ApiError | null>(null)
  const cancelling = ref(false)
  let timer: ReturnType<typeof setTimeout> | null = null
  let stopped = false
  let resolveDone: ((s: JobStatus<R> | null) => void) | null = null

  const running = computed(() => status.value?.state === 'running')
  const percent = computed(() => jobPercent(status.value))
  const result = computed(() => (status.value?.state === 'done' ? (status.value.result ?? null) : null))

  function clear() {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  function finish(s: JobStatus<R> | null) {
    clear()
    cancelling.value = false
    const r = resolveDone
    resolveDone = null
    r?.(s)
  }

  async function poll(jobId: string): Promise<void> {
    if (stopped) return
    try {
      const s = (await api.jobStatus({ job_id: jobId })) as JobStatus<R>
      if (stopped) return
      status.value = s
      if (s.state === 'running') {
        timer = setTimeout(() => void poll(jobId), interval)
      } else {
        if (s.state === 'failed' && s.error) error.value = new ApiError(s.error)
        finish(s)
      }
    } catch (e) {
      error.value = ApiError.from(e)
      finish(status.value)
    }
  }

  /**
   * Starts a job with `starter` and follows it to its end. Resolves with the
   * final status (or null when starting failed; see `error`).
   */
  async function start(starter: () => Promise<JobStarted>): Promise<JobStatus<R> | null> {
    clear()
    stopped = false
    error.value = null
    status.value = null
    let started: JobStarted
    try {
      started = await starter()
    } catch (e) {
      error.value = ApiError.from(e)
      return null
    }
    status.value = { job_id: started.job_id, kind: '', state: 'running', done: 0, total: 0, result: null, error: null }
    const done = new Promise<JobStatus<R> | null>((resolve) => {
      resolveDone = resolve
    })
    void poll(started.job_id)
    return done
  }

  /** Asks the core to cancel the running job (the next poll shows the outcome). */
  async function cancel(): Promise<void> {
    const s = status.value
    if (!s || s.state !== 'running') return
    cancelling.value = true
    try {
      await api.jobCancel({ job_id: s.job_id })
    } catch (e) {
      error.value = ApiError.from(e)
      cancelling.value = false
    }
  }

  onScopeDispose(() => {
    stopped = true
    finish(status.value)
  })

  return { status, error, running, percent, result, cancelling, start, cancel }
}

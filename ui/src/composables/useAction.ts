// The submit / loading / error pattern of every view, in one place: an
// action has a loading flag, an inline error slot (or a notification), the
// result of its last run, an optional form to validate first, and — so that
// no panel shows stale data — an invalidation bus keyed by entity. An action
// that changes something names what it changed (`invalidates`); every
// action that shows that kind of data either runs again (`reloadOn`) or
// forgets its old result and error (`resetOn`). A new run always forgets
// the previous result first, so old numbers never sit under a new error.

import { getCurrentScope, onScopeDispose, ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { ApiError } from '../api/backend'
import { useErrorDisplay } from './useErrorDisplay'

/** Kinds of data that actions change and panels show. */
export type Entity = 'app' | 'component' | 'authorizer' | 'ticket' | 'session' | 'token' | 'quota' | 'calllog' | 'task' | 'settings'

type Listener = (changed: ReadonlySet<Entity>) => void
const listeners = new Set<{ on: ReadonlySet<Entity>; fn: Listener; owner?: object }>()

/**
 * Calls `fn` whenever one of `entities` is invalidated, until the current
 * effect scope (component) ends. Returns the unsubscribe function.
 */
export function onInvalidate(entities: readonly Entity[], fn: Listener, owner?: object): () => void {
  const entry = { on: new Set(entities), fn, owner }
  listeners.add(entry)
  const off = () => {
    listeners.delete(entry)
  }
  if (getCurrentScope()) onScopeDispose(off)
  return off
}

/**
 * Tells every subscriber that these entities changed (except the action
 * `source` that changed them, so an action never re-runs itself).
 */
export function invalidate(entities: readonly Entity[], source?: object): void {
  if (entities.length === 0) return
  const changed = new Set(entities)
  for (const l of [...listeners]) {
    if (source !== undefined && l.owner === source) continue
    if (entities.some((e) => l.on.has(e))) l.fn(changed)
  }
}

/** How many subscribers the bus has (for tests: no leak after unmount). */
export function listenerCount(): number {
  return listeners.size
}

/** Something that validates a form (Naive UI's FormInst). */
interface Validatable {
  validate: () => Promise<unknown>
}

export interface ActionOptions<A extends unknown[], R> {
  /** Also show failures as a notification (for buttons with no inline alert). */
  notify?: boolean
  /** A form validated before each run; when invalid, nothing is called. */
  form?: Ref<Validatable | null | undefined>
  /** What a successful run changed: these entities are invalidated. */
  invalidates?: readonly Entity[] | ((result: R, ...args: A) => readonly Entity[])
  /** Run again (with the last arguments) when one of these changes elsewhere. */
  reloadOn?: readonly Entity[]
  /** Forget the result and error when one of these changes elsewhere. */
  resetOn?: readonly Entity[]
}

/** State of one async action whose failure is shown inline (ErrorAlert) or as a notification. */
export interface Action<A extends unknown[], R> {
  run: (...args: A) => Promise<R | undefined>
  loading: Ref<boolean>
  error: ShallowRef<ApiError | null>
  /** The last successful result (null while running, after a failure and after a reset). */
  result: ShallowRef<R | null>
  /** Forgets the result and the error. */
  reset: () => void
}

/**
 * Wraps an async call with a loading flag, an error slot and the last
 * result, validating `form` first and invalidating what it changed.
 */
export function useAction<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  opts: ActionOptions<A, R> = {},
): Action<A, R> {
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  const result = shallowRef<R | null>(null) as ShallowRef<R | null>
  const display = opts.notify ? useErrorDisplay() : null
  const self = {}
  let lastArgs: A | null = null
  /** The latest run: an older run finishing late changes nothing. */
  let runId = 0
  /** Bumped by `reset`: a run started before a reset keeps its answer to itself. */
  let epoch = 0

  function reset() {
    epoch++
    result.value = null
    error.value = null
  }

  async function run(...args: A): Promise<R | undefined> {
    if (opts.form?.value) {
      try {
        await opts.form.value.validate()
      } catch {
        return undefined
      }
    }
    const mine = ++runId
    const startEpoch = epoch
    const current = () => mine === runId && startEpoch === epoch
    lastArgs = args
    loading.value = true
    error.value = null
    result.value = null
    try {
      const r = await fn(...args)
      if (current()) result.value = r
      const inv = typeof opts.invalidates === 'function' ? opts.invalidates(r, ...args) : opts.invalidates
      if (inv?.length) invalidate(inv, self)
      return r
    } catch (e) {
      const err = ApiError.from(e)
      if (current()) error.value = err
      if (display) await display.showError(err)
      return undefined
    } finally {
      if (mine === runId) loading.value = false
    }
  }

  if (opts.reloadOn?.length) {
    onInvalidate(
      opts.reloadOn,
      () => {
        if (lastArgs) void run(...lastArgs)
      },
      self,
    )
  }
  if (opts.resetOn?.length) onInvalidate(opts.resetOn, reset, self)

  return { run, loading, error, result, reset }
}

/**
 * Several buttons of one form sharing an error slot: `busy` names the one
 * running (for its spinner), and each run is an action of its own kind.
 */
export function useActionGroup<K extends string>(opts: Omit<ActionOptions<[K, () => Promise<unknown>], unknown>, 'form'> = {}) {
  const busy = ref<K | ''>('') as Ref<K | ''>
  const action = useAction(async (what: K, fn: () => Promise<unknown>) => {
    busy.value = what
    try {
      return await fn()
    } finally {
      busy.value = ''
    }
  }, opts)
  /** Runs `fn` as the `what` button; undefined when it failed (see `error`). */
  function run<R>(what: K, fn: () => Promise<R>): Promise<R | undefined> {
    return action.run(what, fn) as Promise<R | undefined>
  }
  return { busy, error: action.error, run }
}
